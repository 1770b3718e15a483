"""The public portal's data: regions, KPIs and their values, map geometry, regional strategies with
their member organisations, and associations' published yearly figures.

Everything here is public once published. Indicator values (:class:`IndicatorValue`) are public
statistics from Kolada or SCB, disclosure-controlled by their producers; their ``count`` is Kolada's
number of member municipalities behind a value (1 for a municipality), not a number of people, and
hides nothing. A count of people below the disclosure threshold is never stored in
:class:`PublishedFigure` or :class:`MemberIndicator` (their ``clean`` refuses it).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamkoll.analysis.disclosure import DisclosurePolicy
from jamkoll.analysis.publication import count_publishable
from jamkoll.indicators import register
from jamkoll.reports.governance import NATIONAL_GOALS
from jamkoll.web.accounts.models import Organization

GOAL_CHOICES = [(key, sv) for key, (sv, _en) in NATIONAL_GOALS.items()] + [("other", "Övrigt")]
COUNTY_CHOICES = [(r.code, r.name) for r in register.regions()]
REGION_KINDS: tuple[str, ...] = ("region", "county_board")  # Organization.Kind values


def _check_count(value: int | None, field: str) -> None:
    threshold = DisclosurePolicy().threshold
    if not count_publishable(value, threshold):
        raise ValidationError({field: _("Antal under %(n)s publiceras inte (röjandekontroll).") % {"n": threshold}})


class Region(models.Model):
    """A region's portal: run by an organisation of kind region or county board."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="portal_region",
                                        verbose_name=_("organisation"),
                                        limit_choices_to={"kind__in": list(REGION_KINDS)})
    county_code = models.CharField(_("län"), max_length=2, choices=COUNTY_CHOICES, unique=True)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=60, unique=True)
    intro = models.TextField(_("inledning"), blank=True)
    published = models.BooleanField(_("publicerad"), default=True)

    class Meta:
        ordering = ["county_code"]
        verbose_name = _("region i portalen")
        verbose_name_plural = _("regioner i portalen")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        found = register.region(self.county_code)
        return found.name if found else self.organization.name

    @property
    def kolada_id(self) -> str:
        return register.kolada_id(self.county_code)

    def clean(self) -> None:
        if self.organization_id and self.organization.kind not in REGION_KINDS:
            raise ValidationError({"organization": _("Organisationen ska vara en region eller länsstyrelse.")})


class KPI(models.Model):
    """An indicator (nyckeltal), as in Kolada's KPI metadata or an SCB table's contents, with the national
    goal it follows and the source to attribute wherever its values are shown."""

    kpi_id = models.CharField(_("id"), max_length=32, unique=True)
    title = models.CharField(_("namn"), max_length=400)
    description = models.TextField(_("beskrivning"), blank=True)
    is_divided_by_gender = models.BooleanField(_("könsuppdelat"), default=True)
    auspice = models.CharField(_("huvudman"), max_length=20, blank=True,
                               help_text=_("Koladas auspice, t.ex. E (egen regi) eller X (alla)."))
    operating_area = models.CharField(_("verksamhetsområde"), max_length=300, blank=True)
    goal = models.CharField(_("jämställdhetspolitiskt delmål"), max_length=20, choices=GOAL_CHOICES,
                            default="other")
    source = models.CharField(_("källa"), max_length=100, default="Kolada")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Ett högre värde är bättre")
        LOWER = "lower", _("Ett lägre värde är bättre")
        NEITHER = "", _("Varken högre eller lägre är bättre i sig")

    direction = models.CharField(_("riktning"), max_length=8, choices=Direction.choices, blank=True, default="",
                                 help_text=_("Om ett högre eller lägre värde är bättre: avgör vilket kön som har "
                                             "det bättre när värdena skiljer sig."))
    ranked = models.BooleanField(_("rangordna efter avstånd från lika"), default=True,
                                 help_text=_("Stäng av för nyckeltal där en kvot långt från 1 är det normala eller "
                                             "där en rangordning inte betyder något (t.ex. personer i skyddat "
                                             "boende)."))

    class Meta:
        ordering = ["kpi_id"]
        verbose_name = _("nyckeltal")
        verbose_name_plural = _("nyckeltal")

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.title}"

    @property
    def attribution(self) -> str:
        """``Källa: Kolada`` (or the KPI's own source), to show with its values."""
        return f"Källa: {self.source or 'Kolada'}"


class IndicatorValue(models.Model):
    """One value of a KPI for an area (Kolada id), a year and a sex (K, M, T)."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values", verbose_name=_("nyckeltal"))
    area_id = models.CharField(_("område"), max_length=8, db_index=True,
                               help_text=_("Kommunkod, 00 + länskod för en region, 0000 för riket."))
    period = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=1, choices=[("K", _("Kvinnor")), ("M", _("Män")),
                                                               ("T", _("Totalt"))])
    value = models.FloatField(_("värde"), null=True, blank=True)
    count = models.PositiveIntegerField(_("antal"), null=True, blank=True,
                                        help_text=_("Koladas count: antal medlemskommuner bakom värdet (1 för en "
                                                    "kommun), inte antal personer."))
    status = models.CharField(_("status"), max_length=40, blank=True)

    class Meta:
        ordering = ["kpi", "area_id", "period", "gender"]
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [models.UniqueConstraint(fields=["kpi", "area_id", "period", "gender"],
                                               name="one_value_per_kpi_area_period_gender")]

    def __str__(self) -> str:
        return f"{self.kpi.kpi_id} {self.area_id} {self.period} {self.gender}: {self.value}"


class Geometry(models.Model):
    """The region's municipality shapes, from a GeoJSON file an admin uploaded (checked and rewound)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="geometry",
                                  verbose_name=_("region"))
    geojson = models.JSONField(_("GeoJSON"))
    file_name = models.CharField(_("filnamn"), max_length=255)
    sha256 = models.CharField(max_length=64)
    missing = models.JSONField(_("kommuner som saknas"), default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uppladdad av"))
    uploaded = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("kartgeometri")
        verbose_name_plural = _("kartgeometrier")

    def __str__(self) -> str:
        return f"{self.region}: {self.file_name}"


class RegionalStrategy(models.Model):
    """A regional gender-equality strategy that organisations can join."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="strategies",
                               verbose_name=_("region"))
    slug = models.SlugField(_("kortnamn i adressen"), max_length=60)
    title = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    adopted = models.DateField(_("antagen"), null=True, blank=True)
    published = models.BooleanField(_("publicerad"), default=True)

    class Meta:
        ordering = ["region", "title"]
        verbose_name = _("regional strategi")
        verbose_name_plural = _("regionala strategier")
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="unique_strategy_slug_per_region")]

    def __str__(self) -> str:
        return self.title


class StrategyMember(models.Model):
    """An organisation that has joined a strategy (public, non-profit or business)."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Offentlig sektor")
        NONPROFIT = "nonprofit", _("Idéburen sektor")
        BUSINESS = "business", _("Näringsliv")

    strategy = models.ForeignKey(RegionalStrategy, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("strategi"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="strategy_memberships",
                                     verbose_name=_("organisation"))
    sector = models.CharField(_("sektor"), max_length=16, choices=Sector.choices, default=Sector.PUBLIC)
    commitment = models.TextField(_("åtagande"), blank=True)
    joined = models.DateField(_("ansluten"), default=timezone.localdate)
    published = models.BooleanField(_("visas i portalen"), default=True)

    class Meta:
        ordering = ["strategy", "organization__name"]
        verbose_name = _("ansluten organisation")
        verbose_name_plural = _("anslutna organisationer")
        constraints = [models.UniqueConstraint(fields=["strategy", "organization"], name="join_strategy_once")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.strategy}"


class MemberIndicator(models.Model):
    """An indicator a member organisation publishes for itself: women's and men's values, a target, progress."""

    member = models.ForeignKey(StrategyMember, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("ansluten organisation"))
    title = models.CharField(_("indikator"), max_length=300)
    goal = models.CharField(_("jämställdhetspolitiskt delmål"), max_length=20, choices=GOAL_CHOICES)
    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.CharField(_("enhet"), max_length=40, blank=True)
    women = models.FloatField(_("kvinnor"), null=True, blank=True)
    men = models.FloatField(_("män"), null=True, blank=True)
    target = models.CharField(_("mål"), max_length=300, blank=True)
    progress = models.TextField(_("hur arbetet går"), blank=True)
    created = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["member", "goal", "title", "-year"]
        verbose_name = _("egen indikator")
        verbose_name_plural = _("egna indikatorer")

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def clean(self) -> None:
        # A unit of "antal" (people) counts persons: the disclosure threshold applies.
        if self.unit.strip().lower() in {"antal", "personer", "st"}:
            for field in ("women", "men"):
                value = getattr(self, field)
                _check_count(int(value) if value is not None and float(value).is_integer() else None, field)


class PublishedFigure(models.Model):
    """An association's published yearly figure (e.g. participants who started), by sex, disclosure-controlled.

    ``women``, ``men`` and ``total`` are None where disclosure control hid them; they are never between
    1 and the threshold minus 1.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="published_figures",
                                     verbose_name=_("organisation"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="published_figures",
                               verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("år"))
    measure = models.CharField(_("mått"), max_length=40)
    label = models.CharField(_("rubrik"), max_length=200)
    women = models.PositiveIntegerField(_("kvinnor"), null=True, blank=True)
    men = models.PositiveIntegerField(_("män"), null=True, blank=True)
    total = models.PositiveIntegerField(_("totalt"), null=True, blank=True)
    published = models.DateTimeField(_("publicerad"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("publicerad av"))

    class Meta:
        ordering = ["organization__name", "-year", "measure"]
        verbose_name = _("publicerad siffra")
        verbose_name_plural = _("publicerade siffror")
        constraints = [models.UniqueConstraint(fields=["organization", "region", "year", "measure"],
                                               name="one_figure_per_org_year_measure")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.label}"

    def clean(self) -> None:
        for field in ("women", "men", "total"):
            _check_count(getattr(self, field), field)

    def save(self, *args: object, **kwargs: object) -> None:
        # Never store a count that disclosure control forbids, whatever path the object took.
        self.clean()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
