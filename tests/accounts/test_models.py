import pytest
from django.db import IntegrityError, transaction

from samen.accounts.models import User
from tests.constraints import violates


@pytest.mark.django_db
def test_two_users_cannot_share_an_email_in_another_case():
    User.objects.create(email="sanne@samen.test")
    with (
        transaction.atomic(),
        pytest.raises(IntegrityError, match=violates("user_email_ci_unique")),
    ):
        User.objects.bulk_create([User(email="Sanne@Samen.test")])
    User.objects.bulk_create([User(email="sanne2@samen.test")])
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_manager_stores_email_in_lower_case():
    user = User.objects.create_user("Noor@Samen.TEST", "wachtwoord-123")
    assert user.email == "noor@samen.test"
