from experts.models import Expert, ParentalConsentRequest

from .models import TOKEN_PATTERN, token_hash


def link_for_token(token: str) -> ParentalConsentRequest | None:
    """The request whose link holds ``token``, with its expert; None for a token Samen never
    made (one with other characters or another length is not even looked up)."""
    if not TOKEN_PATTERN.match(token):
        return None
    return (
        ParentalConsentRequest.objects.select_related("expert")
        .filter(token_hash=token_hash(token))
        .first()
    )


def current_parental_request(expert: Expert) -> ParentalConsentRequest | None:
    """The expert's request that was not replaced: the parent's link that works (or worked
    last). One query."""
    return ParentalConsentRequest.objects.filter(expert=expert).current().first()
