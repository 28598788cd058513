"""Any write to the directory moves the data version on, once per transaction."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from directory.signals import bulk_saved


def _bump() -> None:
    from .models import DataVersion

    DataVersion.bump()


def data_changed(sender=None, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    connection = transaction.get_connection()
    # A bulk load saves thousands of rows in one transaction: schedule a single bump.
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


for model in apps.get_app_config("directory").get_models():
    post_save.connect(data_changed, sender=model, dispatch_uid=f"dataversion-save-{model.__name__}")
    bulk_saved.connect(data_changed, sender=model, dispatch_uid=f"dataversion-bulk-{model.__name__}")
    post_delete.connect(data_changed, sender=model, dispatch_uid=f"dataversion-del-{model.__name__}")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            data_changed, sender=field.remote_field.through, dispatch_uid=f"dataversion-m2m-{field}"
        )
