from django.apps import AppConfig


def _next_change_at():
    """The next time a project, publication or event page changes by itself.

    A scheduled item going live, or an event ending (it moves from "Upcoming"
    to "Past"): cached pages end then.
    """
    from work.models import Event, Project, Publication

    times = [
        model.objects.scheduled().values_list("published_at", flat=True).first()
        for model in (Project, Publication, Event)
    ]
    times.append(Event.objects.public().next_ending_at())
    return min((time for time in times if time is not None), default=None)


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = "The institute's work"

    def ready(self):
        from heseltine.cache import register_schedule

        register_schedule(_next_change_at)
