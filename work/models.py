"""The institute's work: projects, publications and events.

All three follow the blog's workflow: a draft is hidden until an editor
publishes it (a contributor submits it for review; an editor publishes,
schedules or sends it back with a note), each step is kept as a WorkEvent,
and `public()` is the one rule for what the public may see. Partner organisations
are the partnerships app's own records, so one organisation page gathers
everything it is part of.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from blog.models import PostEvent
from heseltine.richtext import RichTextField
from work.pdf import MAX_PDF_MB, validate_pdf_upload

INSTITUTE = "Heseltine Institute for Public Policy, Practice and Place"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class WorkQuerySet(models.QuerySet):
    def public(self):
        """Return the rows the public may see: published, and their time has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user, *, may_publish):
        """What `user` may see in the admin: editors everything; contributors the
        public rows and their own."""
        if may_publish:
            return self
        public = Q(status=Status.PUBLISHED, published_at__lte=timezone.now())
        return self.filter(public | Q(created_by=user.pk))

    def scheduled(self):
        """Return the published rows whose time has not come yet, soonest first."""
        return self.filter(
            status=Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")


class WorkItem(models.Model):
    """What projects, publications and events share: title, address, workflow."""

    Status = Status

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        help_text="A sentence or two, shown in lists, search results and feeds."
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="UK time. Leave empty to publish now; a time in the future "
        "schedules it to go live by itself then.",
    )
    themes = models.ManyToManyField(
        "institute.ResearchTheme", blank=True, related_name="%(class)ss"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    events = GenericRelation("work.WorkEvent")

    objects = WorkQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class WorkEvent(models.Model):
    """One step of a project's, publication's or event's workflow: who did
    what, when, and the note if any (as PostEvent is for posts)."""

    # The same steps as a post's, by the same names.
    Action = PostEvent.Action

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey()
    action = models.CharField(max_length=20, choices=Action)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    # For "scheduled": when the item was to go live.
    scheduled_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "workflow step"
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-at"], name="workevent_item_idx"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.item}"


def pdf_path(publication, filename):
    """<slug>-<random>.pdf, whatever the upload was called.

    The extension is always .pdf, so no name makes it a page; the random part
    keeps a draft's file from being found under /media/ by guessing its slug.
    """
    return f"publications/{publication.slug}-{secrets.token_hex(8)}.pdf"


class Publication(WorkItem):
    """A report, briefing or paper: a PDF kept here, or a link to it elsewhere."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        BRIEFING = "briefing", "Policy briefing"
        PAPER = "paper", "Paper"

    kind = models.CharField(
        max_length=10,
        choices=Kind,
        blank=True,
        help_text="Leave empty when the sources do not say.",
    )
    published_on = models.DateField(
        "date of publication",
        null=True,
        blank=True,
        help_text="The day it came out, if known. Otherwise give the year below.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year it came out, when the day is not known. Filled in "
        "from the date when there is one.",
    )
    authors = models.ManyToManyField(
        "institute.Person",
        through="PublicationAuthor",
        related_name="publications",
        blank=True,
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who wrote it, when they are not people listed on the site, "
        "e.g. “the institute’s Executive Director”. Shown instead of authors.",
    )
    publisher = models.CharField(
        max_length=250,
        blank=True,
        help_text="Who published it, for the citation, e.g. “Heseltine Institute "
        "for Public Policy, Practice and Place, University of Liverpool”. Leave "
        "empty when not known.",
    )
    pdf = models.FileField(
        "PDF",
        upload_to=pdf_path,
        blank=True,
        validators=[validate_pdf_upload],
        help_text=f"Optional. A PDF file of at most {MAX_PDF_MB} MB.",
    )
    external_url = models.URLField(
        "link elsewhere",
        blank=True,
        help_text="Optional. Where the publication can be read, if not here.",
    )
    posts = models.ManyToManyField(
        "blog.Post",
        blank=True,
        related_name="publications",
        help_text="Blog posts about this publication.",
    )

    class Meta:
        ordering = [F("year").desc(nulls_last=True), "-published_on", "title"]
        permissions = [
            ("publish_publication", "Can publish, schedule and unpublish publications")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2200),
                name="publication_year_plausible",
                violation_error_message="Give the year as four digits, e.g. 2024.",
            )
        ]

    def save(self, *args, **kwargs):
        if self.published_on:
            self.year = self.published_on.year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work:publication_detail", kwargs={"slug": self.slug})

    def citation(self, authors):
        """A plain citation line: authors (year) title. Publisher.

        Only what is recorded: "n.d." without a year, no publisher if none.
        """
        names = ", ".join(author.display_name for author in authors) or self.credit
        year = self.year or "n.d."
        line = f"{names} ({year}) {self.title}." if names else f"{self.title} ({year})."
        return f"{line} {self.publisher}." if self.publisher else line


class PublicationAuthor(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="publication_authors"
    )
    person = models.ForeignKey(
        "institute.Person", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "author"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "person"],
                name="unique_author_per_publication",
                violation_error_message="This person is already an author.",
            )
        ]

    def __str__(self):
        return str(self.person)


class Project(WorkItem):
    body = RichTextField(blank=True, help_text="What the project does, in full.")
    people = models.ManyToManyField(
        "institute.Person", blank=True, related_name="projects"
    )
    partners = models.ManyToManyField(
        "partnerships.Organisation",
        blank=True,
        related_name="projects",
        help_text="Organisations the institute works with on it: the same records "
        "the partnerships use.",
    )
    started_on = models.DateField(
        null=True, blank=True, help_text="Leave empty when it is not known."
    )
    ended_on = models.DateField(
        null=True, blank=True, help_text="Leave empty when it is ongoing or not known."
    )
    posts = models.ManyToManyField(
        "blog.Post", blank=True, related_name="projects", help_text="Related posts."
    )
    publications = models.ManyToManyField(
        Publication, blank=True, related_name="projects"
    )

    class Meta:
        ordering = ["title"]
        permissions = [
            ("publish_project", "Can publish, schedule and unpublish projects")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="project_ends_after_it_starts",
                violation_error_message="A project cannot end before it starts.",
            )
        ]

    def get_absolute_url(self):
        return reverse("work:project_detail", kwargs={"slug": self.slug})


class EventQuerySet(WorkQuerySet):
    def upcoming(self):
        """Events not yet over, soonest first."""
        return self.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Events that have ended, latest first."""
        # At its end time an event is past: the page cache turns over then.
        return self.filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")

    def next_ending_at(self):
        return (
            self.upcoming()
            .order_by("ends_at")
            .values_list("ends_at", flat=True)
            .first()
        )


class Event(WorkItem):
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    venue = models.CharField(
        max_length=250,
        blank=True,
        help_text="Where it happens, e.g. the building and city. Leave empty "
        "for an online-only event.",
    )
    is_online = models.BooleanField(
        "online", default=False, help_text="Tick if people can join online."
    )
    booking_url = models.URLField(
        "booking link", blank=True, help_text="Where people book a place."
    )
    recording_url = models.URLField(
        "recording link", blank=True, help_text="Add the recording after the event."
    )
    body = RichTextField(blank=True, help_text="More about the event.")
    speakers = models.ManyToManyField(
        "institute.Person", blank=True, related_name="events"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        permissions = [("publish_event", "Can publish, schedule and unpublish events")]
        indexes = [models.Index(fields=["status", "ends_at"], name="event_listing_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message="An event must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | Q(is_online=True),
                name="event_has_a_place",
                violation_error_message="Give a venue, or tick “online”, or both.",
            ),
        ]

    def save(self, *args, **kwargs):
        # Whole seconds: HTML's <time datetime> allows at most three decimals.
        for name in ("starts_at", "ends_at"):
            if value := getattr(self, name):
                setattr(self, name, value.replace(microsecond=0))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work:event_detail", kwargs={"slug": self.slug})

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    @property
    def where(self):
        if self.venue and self.is_online:
            return f"{self.venue}, and online"
        return self.venue or "Online"
