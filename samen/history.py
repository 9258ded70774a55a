"""An audit trail of a few fields of a model (django-simple-history), for models whose other
fields should not be copied into a history.

``history = FieldsHistory(fields=[...])`` keeps who changed which of these fields, when, and
to what. Only these fields (and the id) are copied into the historical model: a field added to
the model later stays out of the history until it is named here. A save that changes none of
them adds no row, so the history reads as a list of changes, not of saves."""

from collections.abc import Iterable

from django.db import models
from simple_history.models import HistoricalRecords


class FieldsHistory(HistoricalRecords):
    def __init__(self, *, fields: Iterable[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.audited_fields = tuple(fields)

    def finalize(self, sender: type[models.Model], **kwargs) -> None:
        # The model's fields are known only now, when its class is ready.
        if sender is self.cls:
            self.excluded_fields = [
                field.name
                for field in sender._meta.fields
                if not field.primary_key and field.name not in self.audited_fields
            ]
        super().finalize(sender, **kwargs)

    def post_save(self, instance: models.Model, created: bool, using=None, **kwargs) -> None:
        if not created and not kwargs.get("raw", False):
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and not set(update_fields) & set(self.audited_fields):
                return
            if not self._audited_fields_changed(instance, using):
                return
        super().post_save(instance, created, using=using, **kwargs)

    def _audited_fields_changed(self, instance: models.Model, using) -> bool:
        """Compared with the latest row of the history: one query. Without a row (an expert
        from before the history, or made in bulk) every save counts as a change."""
        attnames = [instance._meta.get_field(name).attname for name in self.audited_fields]
        latest = getattr(instance, self.manager_name).using(using).values_list(*attnames).first()
        return latest != tuple(getattr(instance, attname) for attname in attnames)
