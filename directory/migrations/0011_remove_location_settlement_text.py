from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_location_settlements_matched_by_name")]

    operations = [migrations.RemoveField("servicelocation", "settlement_text")]
