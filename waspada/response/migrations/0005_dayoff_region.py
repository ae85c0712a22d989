"""Days off per regency: a ``DayOff`` may belong to a regency or a province (none: the whole
installation, which is what every existing row keeps meaning). One row per date and region."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('response', '0004_disposition_assigned_to'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='dayoff',
            options={'ordering': ['date', 'region'], 'verbose_name': 'hari libur daerah', 'verbose_name_plural': 'hari libur daerah'},
        ),
        migrations.AddField(
            model_name='dayoff',
            name='region',
            field=models.ForeignKey(blank=True, help_text='Kabupaten/kota atau provinsi yang libur; kosong berarti seluruh instalasi.', limit_choices_to={'level__in': [1, 2]}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='wilayah'),
        ),
        migrations.AlterField(
            model_name='dayoff',
            name='date',
            field=models.DateField(verbose_name='tanggal'),
        ),
        migrations.AddConstraint(
            model_name='dayoff',
            constraint=models.UniqueConstraint(condition=models.Q(('region__isnull', True)), fields=('date',), name='dayoff_one_installation_wide_per_date', violation_error_message='Hari libur seluruh instalasi pada tanggal ini sudah ada.'),
        ),
        migrations.AddConstraint(
            model_name='dayoff',
            constraint=models.UniqueConstraint(fields=('date', 'region'), name='dayoff_one_per_date_and_region', violation_error_message='Hari libur wilayah ini pada tanggal ini sudah ada.'),
        ),
    ]
