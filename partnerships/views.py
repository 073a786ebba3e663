from django.db.models import Prefetch
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from institute.models import ResearchTheme
from partnerships.charts import funding_chart, nation_counts, nation_tiles
from partnerships.forms import PartnershipFilterForm
from partnerships.models import Partnership, PartnershipPhase, Programme, ProgrammeRole

# The order in which the programme page introduces who is involved.
ROLE_SECTIONS = [
    (ProgrammeRole.Role.HUB_LEAD, "Leads the Strategic Coordination Hub"),
    (ProgrammeRole.Role.HUB_MEMBER, "Members of the hub"),
    (ProgrammeRole.Role.FUNDER, "Funders"),
    (ProgrammeRole.Role.ACADEMIC_PARTNER, "Academic partners"),
    (ProgrammeRole.Role.DELIVERY_PARTNER, "Non-academic delivery partners"),
]


class PartnershipListView(ListView):
    """The programme, its phases and funding, and its partnerships by phase."""

    template_name = "partnerships/partnership_list.html"
    paginate_by = 24

    def get(self, request, *args, **kwargs):
        self.programme = Programme.objects.for_overview().first()
        self.phases = list(self.programme.phases.all()) if self.programme else []
        self.form = PartnershipFilterForm(request.GET or None, phases=self.phases)
        self.filters = self.form.filters() if self.form.is_bound else {}
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        partnerships = Partnership.objects.with_records().only(
            "name", "slug", "short_name", "nation", "region", "focus"
        )
        if "phase" in self.filters:
            partnerships = partnerships.in_phase(self.filters["phase"])
        if "nation" in self.filters:
            partnerships = partnerships.filter(nation=self.filters["nation"])
        return partnerships

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        everywhere = nation_counts(Partnership.objects.all())
        groups, unphased = self.phase_groups(context["object_list"])
        context.update(
            programme=self.programme,
            phases=self.phases,
            form=self.form,
            is_filtered=bool(self.filters),
            groups=groups,
            unphased=unphased,
            role_sections=self.role_sections(),
            chart=funding_chart(self.phases),
            nations=everywhere,
            tiles=nation_tiles(everywhere),
            page_query=urlencode(
                {key: value for key, value in self.request.GET.items() if key != "page"}
            ),
        )
        return context

    def phase_groups(self, partnerships):
        """Pair each shown phase with the partnerships recorded in it."""
        shown = [
            phase
            for phase in self.phases
            if self.filters.get("phase") in (None, phase.number)
        ]
        groups = [(phase, []) for phase in shown]
        entries = {phase.pk: listed for phase, listed in groups}
        unphased = []
        for partnership in partnerships:
            records = partnership.records.all()
            if not records:
                unphased.append(partnership)
            for record in records:
                if record.phase_id in entries:
                    entries[record.phase_id].append((partnership, record))
        return groups, unphased

    def role_sections(self):
        if self.programme is None:
            return []
        roles = list(self.programme.roles.all())
        sections = []
        for role, heading in ROLE_SECTIONS:
            holders = [holder for holder in roles if holder.role == role]
            if holders:
                sections.append((heading, holders))
        return sections


class PartnershipDetailView(DetailView):
    """One partnership: its journey through the phases, funding and themes."""

    def get_queryset(self):
        return Partnership.objects.select_related("lead_organisation").prefetch_related(
            Prefetch(
                "records",
                queryset=PartnershipPhase.objects.select_related(
                    "phase__programme"
                ).order_by("phase__number"),
            ),
            Prefetch(
                "themes",
                queryset=ResearchTheme.objects.active().only("title", "slug"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.object.records.totals()
        return context
