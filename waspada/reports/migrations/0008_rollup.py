"""The reports rollup (reports/rollups.py), filled from the reports already stored."""

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from waspada.reports.rollups import rebuild

    rebuild(
        using=schema_editor.connection.alias,
        report=apps.get_model("reports", "Report"),
        rollup=apps.get_model("reports", "ReportRollup"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_search_vector'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('region', models.CharField(max_length=13)),
                ('isu', models.CharField(choices=[('sara_etnis', 'SARA / antaretnis'), ('agama', 'Agama, rumah ibadah'), ('agraria_korporasi', 'Agraria: warga dan perusahaan'), ('agraria_warga', 'Agraria: antarwarga atau antardesa'), ('batas_wilayah', 'Batas wilayah'), ('politik_pemilu', 'Politik dan pemilu'), ('ormas_kelompok', 'Ormas dan kelompok'), ('radikalisme', 'Radikalisme'), ('orang_asing', 'Orang asing'), ('narkoba', 'Narkoba'), ('kriminalitas', 'Kriminalitas'), ('ekonomi_buruh', 'Ekonomi dan buruh'), ('infrastruktur_logistik', 'Infrastruktur dan logistik'), ('bencana', 'Bencana'), ('lingkungan', 'Lingkungan'), ('hoaks', 'Hoaks dan provokasi'), ('pemerintahan_desa', 'Pemerintahan desa'), ('lainnya', 'Lainnya')], max_length=32)),
                ('alert_level', models.CharField(choices=[('normal', 'Normal'), ('waspada', 'Waspada'), ('siaga', 'Siaga'), ('awas', 'Awas')], max_length=10)),
                ('status', models.CharField(choices=[('baru', 'Baru'), ('terverifikasi', 'Terverifikasi'), ('ditolak', 'Ditolak'), ('digabung', 'Digabung')], max_length=14)),
                ('classification', models.CharField(choices=[('biasa', 'Biasa'), ('terbatas', 'Terbatas'), ('rahasia', 'Rahasia')], max_length=10)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'rekap laporan',
                'verbose_name_plural': 'rekap laporan',
                'indexes': [models.Index(fields=['region', 'day'], name='reports_rollup_region_day', opclasses=['varchar_pattern_ops', 'date_ops'])],
                'constraints': [models.UniqueConstraint(fields=('day', 'region', 'isu', 'alert_level', 'status', 'classification'), name='reports_rollup_one_row_per_bucket')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
