import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_opening_hours_belong_to_their_location")]

    operations = [
        migrations.RenameField("servicelocation", "settlement", "settlement_text"),
        migrations.AddField(
            model_name="servicelocation",
            name="settlement",
            field=models.ForeignKey(
                help_text="Village, small town or town, e.g. Kose alevik",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.settlement",
                verbose_name="settlement",
            ),
        ),
    ]
