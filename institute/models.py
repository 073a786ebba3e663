from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from heseltine.images import refreshed_renditions, validate_image_upload
from heseltine.richtext import RichTextField


class InstituteProfileQuerySet(models.QuerySet):
    def public(self):
        """Return the profile: the public sees all of it."""
        return self.all()


class InstituteProfile(models.Model):
    """The institute itself: there is exactly one row, edited in the admin."""

    # Always True and unique: the database refuses a second profile.
    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(
        max_length=200,
        help_text="Full name, as it appears in the page header and footer.",
    )
    short_name = models.CharField(
        max_length=80, help_text="Used where space is short, such as page titles."
    )
    strapline = models.CharField(
        max_length=250, help_text="One sentence shown at the top of the home page."
    )
    summary = RichTextField(
        help_text="The institute's mission, shown on the About page.",
    )
    university = models.CharField(
        max_length=200, help_text="The university the institute belongs to."
    )
    faculty_theme = models.CharField(
        "faculty research theme",
        max_length=200,
        blank=True,
        help_text="The faculty research theme the institute supports.",
    )
    offers_funding = models.BooleanField(
        default=False, help_text="Tick only if the institute gives grants or funding."
    )
    address = models.TextField(
        help_text="Postal address, one line per line, without the postcode."
    )
    postcode = models.CharField(
        max_length=10, help_text="Also used for the map link when there is no location."
    )
    country = models.CharField(max_length=80, default="United Kingdom")
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        help_text="For the map link, e.g. 53.406600.",
    )  # fmt: skip
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        help_text="For the map link, e.g. -2.966700.",
    )  # fmt: skip
    email = models.EmailField(
        blank=True, help_text="A contact address for the public; leave blank if none."
    )
    phone = models.CharField(
        max_length=40, blank=True, help_text="A contact number for the public."
    )
    website = models.URLField(blank=True, help_text="The institute's page elsewhere.")
    updated_at = models.DateTimeField("last modified", auto_now=True)

    objects = InstituteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "institute profile"
        verbose_name_plural = "institute profile"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="profile_is_singleton"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("institute:about")

    @property
    def address_lines(self):
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return [*lines, self.postcode, self.country]

    @property
    def map_url(self):
        """An OpenStreetMap link to the institute's location, or to its postcode."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
        return f"https://www.openstreetmap.org/search?query={quote(self.postcode)}"


class OrderedModel(models.Model):
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first."
    )

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class Objective(OrderedModel):
    """One of the institute's objectives (Lead, Convene, Broker, Inform)."""

    title = models.CharField(
        max_length=80, unique=True, help_text="One word or a short phrase, e.g. Lead."
    )
    description = models.TextField(help_text="One or two sentences.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrderedModel.Meta):
        pass

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("institute:about") + "#objectives"


class ResearchThemeQuerySet(models.QuerySet):
    def public(self):
        """Return the themes the public may see (not retired)."""
        return self.filter(is_retired=False)


class ResearchTheme(OrderedModel):
    title = models.CharField(max_length=120, help_text="The theme's name.")
    slug = models.SlugField(
        unique=True, help_text="The last part of the theme's address: /themes/<slug>/."
    )
    question = models.CharField(
        "guiding question",
        max_length=300,
        help_text="The question the theme sets out to answer.",
    )
    summary = models.TextField(
        help_text="A sentence or two for listings and search results."
    )
    body = RichTextField(
        blank=True, help_text="The full description, shown on the theme's own page."
    )
    is_retired = models.BooleanField(
        "retired",
        default=False,
        help_text="Retired themes are kept for old posts but hidden from the public.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a PostgreSQL trigger (migration 0005), for search.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ResearchThemeQuerySet.as_manager()

    class Meta(OrderedModel.Meta):
        verbose_name = "research theme"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("institute:theme_detail", kwargs={"slug": self.slug})


class FocusArea(OrderedModel):
    """An area of current work within a research theme."""

    theme = models.ForeignKey(
        ResearchTheme, on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(
        max_length=200, help_text="A short phrase, e.g. Smart cities."
    )

    class Meta(OrderedModel.Meta):
        verbose_name = "focus area"
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "title"], name="unique_focus_area_per_theme"
            )
        ]

    def __str__(self):
        return self.title


class Pillar(OrderedModel):
    """One of the institute's pillars of work."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        unique=True, help_text="Links to the pillar on the About page: /about/#<slug>."
    )
    summary = models.TextField(help_text="A sentence or two.")
    body = RichTextField(blank=True, help_text="More detail, if needed.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrderedModel.Meta):
        verbose_name = "pillar of work"
        verbose_name_plural = "pillars of work"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("institute:about") + f"#{self.slug}"


class ResearchArea(OrderedModel):
    """An area of research listed under a pillar of work."""

    pillar = models.ForeignKey(
        Pillar, on_delete=models.CASCADE, related_name="research_areas"
    )
    title = models.CharField(
        max_length=200, help_text="A short phrase, e.g. English devolution."
    )

    class Meta(OrderedModel.Meta):
        verbose_name = "research area"
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "title"], name="unique_research_area_per_pillar"
            )
        ]

    def __str__(self):
        return self.title


class PersonQuerySet(models.QuerySet):
    def public(self):
        """Return the people (and organisation bylines) the public may see: all."""
        return self.all()

    def people(self):
        """Only people: not the organisations that some bylines name."""
        return self.filter(is_organisation=False)


class Person(OrderedModel):
    class Group(models.TextChoices):
        LEADERSHIP = "leadership", "Leadership"
        STAFF = "staff", "Researchers and staff"
        FELLOW = "fellow", "Visiting Fellows"
        BOARD = "board", "Advisory board"
        GUEST = "guest", "Guest contributors"
        # For blog authors whose role the institute has not stated.
        AUTHOR = "author", "Blog authors"

    name = models.CharField(
        max_length=120, help_text="Full name, without a title such as Dr."
    )
    slug = models.SlugField(
        unique=True, help_text="The last part of the person's address: /people/<slug>/."
    )
    honorific = models.CharField(
        max_length=20, blank=True, help_text="Optional, e.g. Dr or Professor."
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="Job title or role, e.g. Executive Director or Visiting Fellow.",
    )
    group = models.CharField(
        max_length=12,
        choices=Group,
        default=Group.STAFF,
        help_text="Where the person is listed on the People page.",
    )
    is_organisation = models.BooleanField(
        "an organisation",
        default=False,
        help_text="Tick for a byline that names an organisation, such as the "
        "institute itself: it is not listed on the People page and is described "
        "as an organisation, not a person.",
    )
    bio = models.TextField(
        "short biography", blank=True, help_text="A short paragraph, in plain text."
    )
    photo = models.ImageField(
        upload_to="people/",
        blank=True,
        validators=[validate_image_upload],
        help_text="Optional. A square head-and-shoulders photo works best: "
        "JPEG, PNG or WebP, at most 5 MB.",
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="Describe the photo for people who cannot see it.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The staff account of this person, if they have one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta(OrderedModel.Meta):
        verbose_name_plural = "people"
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.photo_renditions = refreshed_renditions(self.photo, self.photo_renditions)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("institute:person_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": "Describe the photo for people who cannot see it."}
            )

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}".strip()

    @property
    def initials(self):
        return initials(self.name)


def initials(name):
    """ "TA" for Tom Arnold: what a card shows in place of a missing photo."""
    return "".join(word[0] for word in name.split()[:3]).upper()


# Paths the site itself uses: a page with one of these slugs would be hidden.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "about", "themes", "people", "blog", "partnerships", "search", "admin",
        "ckeditor", "media", "static", "healthz", "feeds", "sitemap.xml",
        "robots.txt", "projects", "publications", "events", "organisations",
    }
)  # fmt: skip


def validate_page_slug(value):
    if value.lower() in RESERVED_PAGE_SLUGS:
        raise ValidationError(
            "“%(slug)s” is already used by another part of the site. "
            "Choose a different slug, e.g. “%(slug)s-page”.",
            code="reserved_slug",
            params={"slug": value},
        )


class PageQuerySet(models.QuerySet):
    def public(self):
        """Return the pages the public may see (published)."""
        return self.filter(is_published=True)


class Page(models.Model):
    """A page of free prose: About us, Accessibility statement, Privacy notice."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        unique=True,
        validators=[validate_page_slug],
        help_text="The page's address: /<slug>/. Lowercase and hyphens.",
    )
    standfirst = models.TextField(
        help_text="The opening sentence or two, shown in bold under the title."
    )
    body = RichTextField()
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Unpublished pages are hidden from the public; editors may "
        "preview them.",
    )
    show_in_footer = models.BooleanField(
        default=False,
        help_text="List the page in the footer, e.g. the accessibility statement.",
    )
    footer_order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the footer; lower numbers come first."
    )
    show_on_about_page = models.BooleanField(
        default=False,
        help_text="Link to the page from the About page, under “More about us”.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a PostgreSQL trigger (migration 0005), for search.
    search_document = SearchVectorField(null=True, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("institute:page_detail", kwargs={"slug": self.slug})
