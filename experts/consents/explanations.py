"""What each purpose of consent means, and what withdrawing it does, in plain words: for the
expert ("you"), on their own pages, and for a parent or guardian (about their child, by first
name), on the page their link opens. The same facts as the coordinator's ``WITHDRAWAL_EFFECTS``
(``experts/consents/views.py``): what Samen does itself, and what it leaves to the coordinator
(and then says so)."""

from django.utils.translation import gettext_lazy as _

from experts.models import ConsentPurpose

# What consenting means, per purpose.
FOR_EXPERT = {
    ConsentPurpose.PARTICIPATION: _(
        "You take part in learning networks and can answer requests. Samen keeps your "
        "agreements, meetings, hours and fees for that. Without this consent you cannot take "
        "part."
    ),
    ConsentPurpose.SPECIAL_DATA: _(
        "Samen may keep themes from your own experience (for example divorce or youth "
        "protection) and notes about your health. These are special personal data: only you "
        "and the coordinators see them. They help to find requests that suit you."
    ),
    ConsentPurpose.SHARING: _(
        "Network leads of your networks may see your e-mail address and phone number, as far "
        "as you chose to share them. Then they can reach you themselves. Without this consent "
        "they never see them."
    ),
    ConsentPurpose.CONTACT: _(
        "When a new request suits you, Samen may show you to the coordinator as a suggestion. "
        "The coordinator then asks you if you want to do it. You always decide yourself."
    ),
    ConsentPurpose.PHOTOS: _(
        "Photos or recordings of you may be made at meetings, and used, for example in a "
        "report about a network."
    ),
}

FOR_PARENT = {
    ConsentPurpose.PARTICIPATION: _(
        "%(name)s takes part in learning networks and can answer requests. Samen keeps the "
        "agreements, meetings, hours and fees of %(name)s for that. Without this consent "
        "%(name)s cannot take part."
    ),
    ConsentPurpose.SPECIAL_DATA: _(
        "Samen may keep themes from the own experience of %(name)s (for example divorce or "
        "youth protection) and notes about their health. These are special personal data: "
        "only %(name)s and the coordinators see them. They help to find requests that suit "
        "%(name)s."
    ),
    ConsentPurpose.SHARING: _(
        "Network leads may see the e-mail address and phone number of %(name)s, as far as "
        "%(name)s chose to share them. Without this consent they never see them."
    ),
    ConsentPurpose.CONTACT: _(
        "When a new request suits %(name)s, Samen may show %(name)s to the coordinator as a "
        "suggestion. The coordinator then asks %(name)s if they want to do it."
    ),
    ConsentPurpose.PHOTOS: _(
        "Photos or recordings of %(name)s may be made at meetings, and used, for example in a "
        "report about a network."
    ),
}

# What withdrawing does, per purpose, said before it is confirmed.
WITHDRAWING_FOR_EXPERT = {
    ConsentPurpose.PARTICIPATION: [
        _(
            "You can no longer be linked to a network, and Samen no longer suggests you for "
            "requests."
        ),
        _("Network leads no longer see you, and no contact details either."),
        _("You get no more e-mails or reminders about questions that wait for your answer."),
        _(
            "Networks you are linked to now stay until the coordinator ends them. The "
            "coordinator sees this and talks with you about it."
        ),
    ],
    ConsentPurpose.SPECIAL_DATA: [
        _(
            "Samen does not remove your themes and notes by itself. Ask the coordinator to "
            "remove them."
        ),
    ],
    ConsentPurpose.SHARING: [
        _("Network leads no longer see your e-mail address and phone number."),
    ],
    ConsentPurpose.CONTACT: [
        _(
            "Samen does not check this by itself yet. Tell the coordinator that you no longer "
            "want to be asked for new requests."
        ),
    ],
    ConsentPurpose.PHOTOS: [
        _(
            "Samen does not keep photos or recordings. Tell the coordinator, so that no photos "
            "or recordings of you are used any more."
        ),
    ],
}

WITHDRAWING_FOR_PARENT = {
    ConsentPurpose.PARTICIPATION: [
        _(
            "%(name)s can no longer be linked to a network, and Samen no longer suggests "
            "%(name)s for requests."
        ),
        _("Network leads no longer see %(name)s, and no contact details either."),
        _("%(name)s gets no more e-mails or reminders about questions that wait for an answer."),
        _(
            "Networks %(name)s is linked to now stay until the coordinator ends them. The "
            "coordinator sees this and talks with %(name)s about it."
        ),
    ],
    ConsentPurpose.SPECIAL_DATA: [
        _(
            "Samen does not remove the themes and notes by itself. Ask the coordinator to "
            "remove them."
        ),
    ],
    ConsentPurpose.SHARING: [
        _("Network leads no longer see the e-mail address and phone number of %(name)s."),
    ],
    ConsentPurpose.CONTACT: [
        _(
            "Samen does not check this by itself yet. Tell the coordinator that %(name)s no "
            "longer wants to be asked for new requests."
        ),
    ],
    ConsentPurpose.PHOTOS: [
        _(
            "Samen does not keep photos or recordings. Tell the coordinator, so that no photos "
            "or recordings of %(name)s are used any more."
        ),
    ],
}


def explanation(purpose: str, *, child: str | None = None) -> str:
    """What consenting to ``purpose`` means: for the expert, or for the parent of ``child``."""
    if child is None:
        return str(FOR_EXPERT[purpose])
    return str(FOR_PARENT[purpose]) % {"name": child}


def withdrawing(purpose: str, *, child: str | None = None) -> list[str]:
    """What withdrawing ``purpose`` does: for the expert, or for the parent of ``child``."""
    if child is None:
        return [str(text) for text in WITHDRAWING_FOR_EXPERT[purpose]]
    return [str(text) % {"name": child} for text in WITHDRAWING_FOR_PARENT[purpose]]
