"""Timer tasks (django-tasks)."""

from django_tasks import task

from sauti.timers import services


@task(queue_name="default")
def fire(timer_id: int) -> bool:
    return services.fire_timer(timer_id)
