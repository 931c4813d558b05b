"""When the company's indicator checklist changes, every relationship level is recomputed.

A receiver rather than a hook in the admin: the checklist changes through the admin, the
shell or a fixture alike, and a level that no longer follows from the rule must not linger.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import LevelIndicator
from .relationships import recompute_all_levels


@receiver(post_save, sender=LevelIndicator, dispatch_uid="checklist-saved")
@receiver(post_delete, sender=LevelIndicator, dispatch_uid="checklist-deleted")
def checklist_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture: levels are loaded with it
        return
    recompute_all_levels()
