from django.db import migrations


def install_defaults(apps, schema_editor):
    from waspada.response.defaults import install

    install(apps.get_model("response", "RoutingRule"), apps.get_model("response", "DeadlinePolicy"))


class Migration(migrations.Migration):
    dependencies = [("response", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
