from django.contrib import admin
from django.db import models
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet

from heseltine.admin import EditConflictMixin, SlugAddressMixin, VersionsMixin
from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipPhase,
    Phase,
    PhaseChallenge,
    Programme,
    ProgrammeRole,
)

# Editors type addresses without a scheme; the web is https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "note", "order"]


class OrganisationRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    fields = ["programme", "role", "note", "order"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = [
        "number",
        "name",
        "partnerships_funded",
        "max_award",
        "duration_months",
    ]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(EditConflictMixin, VersionsMixin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "short_name", "phase_count", "updated_at"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        ("Content", {"fields": ["name", "short_name", "summary", "description"]}),
        ("Metadata", {"fields": ["slug", "website", "updated_at"]}),
    ]
    inlines = [PhaseInline, ProgrammeRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(phase_total=Count("phases"))

    @admin.display(description="phases", ordering="phase_total")
    def phase_count(self, programme):
        return programme.phase_total


class PhaseChallengeInline(admin.TabularInline):
    model = PhaseChallenge
    extra = 0
    fields = ["description", "place", "order"]


@admin.register(Phase)
class PhaseAdmin(EditConflictMixin, VersionsMixin):
    list_display = [
        "__str__",
        "programme",
        "partnerships_funded",
        "listed",
        "max_award",
        "duration_months",
    ]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "purpose", "programme__name"]
    fieldsets = [
        ("Content", {"fields": ["programme", "number", "name", "purpose"]}),
        (
            "Figures",
            {"fields": ["partnerships_funded", "max_award", "duration_months"]},
        ),
    ]
    inlines = [PhaseChallengeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(listed_total=Count("records"))

    @admin.display(description="listed on the site", ordering="listed_total")
    def listed(self, phase):
        return phase.listed_total


@admin.register(Organisation)
class OrganisationAdmin(EditConflictMixin, VersionsMixin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "short_name", "kind", "role_list"]
    list_filter = ["kind", "roles__role"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationRoleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roles", queryset=ProgrammeRole.objects.all()))
        )

    @admin.display(description="roles")
    def role_list(self, organisation):
        return ", ".join(role.get_role_display() for role in organisation.roles.all())


class PartnershipPhaseFormSet(BaseInlineFormSet):
    """Tell each record which phases are being saved with it.

    A partnership's phase 1 and phase 2 records are often added together, so
    "phase 2 needs phase 1" has to look at the whole submission, not only at
    what is already stored.
    """

    def full_clean(self):
        if self.is_bound:
            planned = set()
            for form in self.forms:
                deleted = self.can_delete and form["DELETE"].data
                if form["phase"].data and not deleted:
                    try:
                        planned.add(int(form["phase"].data))
                    except ValueError:
                        continue
            for form in self.forms:
                form.instance.planned_phase_ids = planned
        super().full_clean()


class PartnershipPhaseInline(admin.TabularInline):
    model = PartnershipPhase
    formset = PartnershipPhaseFormSet
    extra = 0
    fields = ["phase", "status", "award", "award_is_maximum", "starts_on", "ends_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("phase")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "phase":
            kwargs["queryset"] = Phase.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Partnership)
class PartnershipAdmin(SlugAddressMixin, EditConflictMixin, VersionsMixin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "nation", "region", "phase_list", "updated_at"]
    list_filter = ["records__phase", "nation", "records__status"]
    search_fields = ["name", "short_name", "region", "focus", "challenge"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_organisation"]
    filter_horizontal = ["themes"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "Content",
            {"fields": ["name", "short_name", "focus", "challenge", "description"]},
        ),
        (
            "Place",
            {"fields": ["nation", "region", "latitude", "longitude"]},
        ),
        (
            "Links",
            {"fields": ["lead_organisation", "themes", "website"]},
        ),
        ("Metadata", {"fields": ["slug", "updated_at"]}),
    ]
    inlines = [PartnershipPhaseInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "records",
                    queryset=PartnershipPhase.objects.select_related("phase"),
                )
            )
        )

    @admin.display(description="phases")
    def phase_list(self, partnership):
        return ", ".join(
            f"{record.phase.number} ({record.get_status_display().lower()})"
            for record in partnership.records.all()
        )
