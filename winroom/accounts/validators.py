"""Field validation for people's contact details."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"


def normalize_phone(value: str) -> str:
    """A valid phone number in international form (+86 138 0013 8000), or ValidationError.

    Mainland mobiles and landlines with area code are accepted as typed locally
    (13800138000, 010-6554 1234); other countries need their + prefix.
    """
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a valid phone number, e.g. 13800138000 or 010-65541234."), code="phone"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, e.g. 13800138000 or 010-65541234."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
