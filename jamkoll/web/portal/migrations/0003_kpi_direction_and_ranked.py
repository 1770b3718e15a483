from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_kpi_metadata_and_count_meaning"),
    ]

    operations = [
        migrations.AddField(
            model_name="kpi",
            name="direction",
            field=models.CharField(
                blank=True,
                choices=[("higher", "Ett högre värde är bättre"), ("lower", "Ett lägre värde är bättre"),
                         ("", "Varken högre eller lägre är bättre i sig")],
                default="",
                help_text="Om ett högre eller lägre värde är bättre: avgör vilket kön som har det bättre när "
                          "värdena skiljer sig.",
                max_length=8, verbose_name="riktning"),
        ),
        migrations.AddField(
            model_name="kpi",
            name="ranked",
            field=models.BooleanField(
                default=True,
                help_text="Stäng av för nyckeltal där en kvot långt från 1 är det normala eller där en rangordning "
                          "inte betyder något (t.ex. personer i skyddat boende).",
                verbose_name="rangordna efter avstånd från lika"),
        ),
    ]
