from django.views.generic import DetailView, TemplateView

from institute.models import Page


class HomeView(TemplateView):
    template_name = "institute/home.html"


class PageDetailView(DetailView):
    def get_queryset(self):
        if self.request.user.has_perm("institute.change_page"):
            return Page.objects.all()
        return Page.objects.published()
