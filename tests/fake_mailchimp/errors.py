"""Mailchimp's error answers (application/problem+json) and which of them mean the caller erred."""

from __future__ import annotations

from typing import Any

ERRORS_DOC = "https://mailchimp.com/developer/marketing/docs/errors/"
FIELD_DETAIL = (
    "The resource submitted could not be validated. "
    "For field-specific details, see the 'errors' array."
)


class ApiError(Exception):
    """An error answer; `violation` says the real API would refuse it too (the caller's bug)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        violation: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.violation = violation  # "spec", "rule", "unmodelled" or None

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": ERRORS_DOC,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def not_found(what: str = "") -> ApiError:
    detail = "The requested resource could not be found."
    return ApiError(404, "Resource Not Found", f"{detail} {what}".strip())


def invalid(
    detail: str, errors: list[dict[str, str]] | None = None, kind: str = "rule"
) -> ApiError:
    """400 Invalid Resource, the real API's answer to a body it will not accept."""
    return ApiError(400, "Invalid Resource", detail, errors=errors, violation=kind)


def already_exists(what: str, name: str) -> ApiError:
    return invalid(
        f'Cannot add "{name}" because it already exists on the list.',
        [{"field": what, "message": f"{name!r} already exists."}],
    )


def bad_request(detail: str, title: str = "Bad Request", kind: str = "rule") -> ApiError:
    return ApiError(400, title, detail, violation=kind)


def unmodelled(what: str) -> ApiError:
    """The fake does not model this; the test fails so nobody trusts an answer the fake made up."""
    return ApiError(
        501,
        "Not Modelled By The Fake",
        f"fake_mailchimp does not model {what}",
        violation="unmodelled",
    )
