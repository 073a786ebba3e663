"""The Local Policy Innovation Partnerships (LPIP) programme and its funding.

A programme runs in ordered phases. Place partnerships take part in one or
more phases; each `PartnershipPhase` records one partnership's status and
award in one phase. Funding totals are always computed from those records.
"""

from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse
from django.utils.text import slugify

from heseltine.richtext import RichTextField

NEGATIVE_MESSAGE = "An amount cannot be negative."
NOT_NEGATIVE = MinValueValidator(Decimal(0), message=NEGATIVE_MESSAGE)


def not_negative(field, *, name):
    """A database check that an optional amount is zero or more."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
        name=name,
        violation_error_message=NEGATIVE_MESSAGE,
    )


def format_pounds(amount):
    """Return `amount` as "£4,800,000", with pence only when there are any."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


class ProgrammeQuerySet(models.QuerySet):
    def public(self):
        """Return the programmes the public may see: every one."""
        return self.all()

    def for_overview(self):
        """Load a programme with its phases (and their figures) and its roles."""
        return self.prefetch_related(
            Prefetch(
                "phases",
                queryset=Phase.objects.with_figures().prefetch_related("challenges"),
            ),
            Prefetch(
                "roles", queryset=ProgrammeRole.objects.select_related("organisation")
            ),
        )

    def for_teaser(self):
        """Load a programme with its phases and their figures: two queries."""
        return self.prefetch_related(
            Prefetch("phases", queryset=Phase.objects.with_figures())
        )


class Programme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="An abbreviation, e.g. LPIP."
    )
    slug = models.SlugField(unique=True)
    summary = models.TextField(
        help_text="A sentence or two on what the programme is for, in plain text."
    )
    description = RichTextField(blank=True)
    website = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a PostgreSQL trigger (migration 0005), with its phases' words,
    # for search; NULL and unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership_list")

    @property
    def display_name(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Return the organisations the public may see: all of them."""
        return self.all()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", "University or academic institute"
        NON_ACADEMIC = "non_academic", "Non-academic organisation"
        PUBLIC_FUNDER = "public_funder", "Public funder"

    name = models.CharField(
        max_length=200, unique=True, help_text="The organisation's full, correct name."
    )
    short_name = models.CharField(
        max_length=40, blank=True, help_text="An abbreviation, e.g. CLES."
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The last part of its address: /organisations/<slug>/. Made "
        "from the name when left empty.",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    website = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name, exclude=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work:organisation_detail", kwargs={"slug": self.slug})


def unique_slug(model, text, *, exclude=None):
    """slugify(text), with -2, -3... added if another row of `model` has it."""
    base = slugify(text)[:190] or "organisation"
    slug, number = base, 1
    others = model.objects.exclude(pk=exclude) if exclude else model.objects.all()
    while others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class ProgrammeRole(models.Model):
    """An organisation's part in a programme; one organisation may hold several."""

    class Role(models.TextChoices):
        FUNDER = "funder", "Funder"
        LEAD = "hub_lead", "Programme lead"
        HUB_MEMBER = "hub_member", "Hub member"
        ACADEMIC_PARTNER = "academic_partner", "Academic partner"
        DELIVERY_PARTNER = "delivery_partner", "Delivery partner"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=Role)
    note = models.CharField(
        max_length=250,
        blank=True,
        help_text="Optional detail shown after the name, e.g. "
        "“Through the Economic and Social Research Council”.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first within the role."
    )

    class Meta:
        verbose_name = "programme role"
        ordering = ["role", "order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "role"],
                name="unique_role_per_programme_organisation",
                violation_error_message=(
                    "This organisation already has this role in the programme."
                ),
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_role_display()}"


class PhaseQuerySet(models.QuerySet):
    def with_figures(self):
        """Annotate each phase with totals computed from its partnership records.

        `listed_count`: partnerships recorded in the phase; `awards_known`:
        records with an award; `committed`: the sum of those awards (None when
        none is known); `maximum_awards`: how many of them are "up to" a maximum.
        """
        known = Q(records__award__isnull=False)
        # Ordered here: Django leaves Meta.ordering out of a GROUP BY query.
        return self.order_by("programme_id", "number").annotate(
            listed_count=Count("records"),
            awards_known=Count("records", filter=known),
            committed=Sum("records__award", filter=known),
            maximum_awards=Count(
                "records", filter=known & Q(records__award_is_maximum=True)
            ),
        )


class Phase(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases"
    )
    number = models.PositiveSmallIntegerField(
        help_text="1 for the first phase, 2 for the next, and so on."
    )
    name = models.CharField(max_length=120, help_text="A short name, e.g. Exploratory.")
    purpose = models.TextField(help_text="What the phase is for, in plain text.")
    partnerships_funded = models.PositiveSmallIntegerField(
        "partnerships funded",
        help_text="How many partnerships the phase funded, even if not all are "
        "listed on the site.",
    )
    max_award = models.DecimalField(
        "maximum award",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="The most one partnership could receive, in pounds. Leave "
        "empty if not known.",
    )
    duration_months = models.PositiveSmallIntegerField(
        "duration (months)", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="unique_phase_number_per_programme",
                violation_error_message="The programme already has a phase "
                "with this number.",
            ),
            not_negative("max_award", name="phase_max_award_not_negative"),
        ]

    def __str__(self):
        return f"Phase {self.number}: {self.name}"

    def get_absolute_url(self):
        return f"{reverse('partnerships:partnership_list')}?phase={self.number}"

    @property
    def duration_years(self):
        """Whole years, when the duration is a whole number of years."""
        if self.duration_months and self.duration_months % 12 == 0:
            return self.duration_months // 12
        return None

    @property
    def committed_is_maximum(self):
        """True when the committed total includes "up to" awards."""
        return bool(getattr(self, "maximum_awards", 0))

    @property
    def committed_is_complete(self):
        """True when every funded partnership's award is known."""
        return getattr(self, "awards_known", 0) >= self.partnerships_funded


class PhaseChallenge(models.Model):
    """A local challenge the programme gives as an example for a phase."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="challenges"
    )
    description = models.CharField(
        max_length=250, help_text="The challenge as the source describes it."
    )
    place = models.CharField(
        max_length=120, blank=True, help_text="Where, e.g. Northern Ireland."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "example challenge"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "description", "place"],
                name="unique_challenge_per_phase",
            )
        ]

    def __str__(self):
        if self.place:
            return f"{self.description} ({self.place})"
        return self.description


class PartnershipQuerySet(models.QuerySet):
    def public(self):
        """Return the partnerships the public may see: every one listed."""
        return self.all()

    def with_records(self):
        """Load each partnership's phase records, earliest phase first."""
        return self.prefetch_related(
            Prefetch(
                "records",
                queryset=PartnershipPhase.objects.select_related("phase").order_by(
                    "phase__number"
                ),
            )
        )

    def in_phase(self, number):
        return self.filter(records__phase__number=number).distinct()

    def by_nation(self):
        """Return (nation value, count) pairs for every nation with partnerships."""
        return (
            self.order_by()
            .values_list("nation")
            .annotate(count=Count("pk"))
            .order_by("nation")
        )


class Partnership(models.Model):
    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
        SCOTLAND = "scotland", "Scotland"
        WALES = "wales", "Wales"
        NOT_STATED = "not_stated", "Not stated"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        unique=True, help_text="The last part of the address: /partnerships/<slug>/."
    )
    short_name = models.CharField(
        max_length=40, blank=True, help_text="An abbreviation, e.g. YPIP."
    )
    nation = models.CharField(
        max_length=20,
        choices=Nation,
        default=Nation.NOT_STATED,
        help_text="Choose “Not stated” when the sources do not say where it is.",
    )
    region = models.CharField(
        max_length=120, blank=True, help_text="e.g. Yorkshire and the Humber."
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_partnerships",
    )
    focus = models.CharField(
        max_length=200, help_text="A few words, e.g. “Skills and unemployment”."
    )
    challenge = models.TextField(
        help_text="The local challenge it works on, in a sentence or two."
    )
    description = RichTextField(blank=True)
    themes = models.ManyToManyField(
        "institute.ResearchTheme",
        blank=True,
        related_name="partnerships",
        help_text="The institute's research themes this partnership relates to.",
    )
    website = models.URLField(blank=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        help_text="Optional, e.g. 53.958300.",
    )  # fmt: skip
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        help_text="Optional, e.g. -1.080300.",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership_detail", kwargs={"slug": self.slug})

    @property
    def place(self):
        """Region and nation as one phrase, e.g. "Yorkshire and the Humber, England"."""
        if self.nation == self.Nation.NOT_STATED:
            return self.region
        return ", ".join(
            part for part in (self.region, self.get_nation_display()) if part
        )


class PartnershipPhaseQuerySet(models.QuerySet):
    def totals(self):
        """Sum the known awards: committed, count, awards known, "up to" count."""
        return self.aggregate(
            committed=Sum("award"),
            count=Count("pk"),
            awards_known=Count("award"),
            maximum_awards=Count("pk", filter=Q(award_is_maximum=True)),
        )


class PartnershipPhase(models.Model):
    """One partnership's part in one phase: its status, award and dates."""

    class Status(models.TextChoices):
        # Every record is a funded partnership; the status says what came next.
        FUNDED = "funded", "Funded"
        PROGRESSED = "progressed", "Progressed to the next phase"
        NOT_PROGRESSED = "not_progressed", "Did not progress"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="records"
    )
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="records")
    status = models.CharField(max_length=20, choices=Status, default=Status.FUNDED)
    award = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="In pounds. Leave empty when the award is not known.",
    )
    award_is_maximum = models.BooleanField(
        "award is a maximum",
        default=False,
        help_text="Tick when only the cap is known: shown as “up to” the award.",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    objects = PartnershipPhaseQuerySet.as_manager()

    class Meta:
        verbose_name = "partnership in a phase"
        verbose_name_plural = "partnerships in phases"
        ordering = ["phase__number", "partnership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "phase"],
                name="unique_partnership_per_phase",
                violation_error_message="This partnership already has a record "
                "for this phase.",
            ),
            not_negative("award", name="partnership_award_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on"))
                | Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True),
                name="partnership_phase_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.partnership} in phase {self.phase.number}"

    def get_absolute_url(self):
        return self.partnership.get_absolute_url()

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date cannot be before the start date."
        if self.phase_id is not None:
            phase = self.phase
            if (
                self.award is not None
                and phase.max_award is not None
                and self.award > phase.max_award
            ):
                errors["award"] = (
                    f"The award of {format_pounds(self.award)} is more than "
                    f"{phase}’s maximum of {format_pounds(phase.max_award)}."
                )
            missing = self.missing_earlier_phases()
            if missing:
                numbers = " and ".join(str(p.number) for p in missing)
                errors["phase"] = (
                    f"A partnership can only be in phase {phase.number} after "
                    f"taking part in phase {numbers}: add a record for phase "
                    f"{numbers} first."
                )
        if errors:
            raise ValidationError(errors)

    def missing_earlier_phases(self):
        """Return the programme's earlier phases this partnership has no record in.

        The admin sets `planned_phase_ids` to the phases of every record being
        saved together; otherwise the records already stored count.
        """
        planned = getattr(self, "planned_phase_ids", None)
        if planned is None and self.partnership_id is None:
            planned = set()
        elif planned is None:
            planned = set(
                PartnershipPhase.objects.filter(partnership_id=self.partnership_id)
                .exclude(pk=self.pk)
                .values_list("phase_id", flat=True)
            )
        earlier = Phase.objects.filter(
            programme_id=self.phase.programme_id, number__lt=self.phase.number
        )
        return [phase for phase in earlier if phase.pk not in planned]
