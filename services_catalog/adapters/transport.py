"""HTTP plumbing every adapter shares: one request, its failures mapped to the department error family."""

from __future__ import annotations

import json
from typing import Any, Mapping

import httpx

from ..errors import DepartmentRejected, DepartmentTimeout, DepartmentUnavailable, MalformedAnswer
from ..fence import AnswerTooLarge, FenceRefused

__all__ = ["HttpDepartment"]


class HttpDepartment:
    """Base of the HTTP adapters: holds the department code and its injected ``httpx.Client``."""

    def __init__(self, department_code: str, client: httpx.Client, *, page_size: int = 50) -> None:
        self.department_code = department_code
        self.page_size = page_size
        self._client = client

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: float,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one request to a path under the configured base URL; a redirect is refused, never followed.

        Transport failures become DepartmentTimeout / DepartmentUnavailable; a fenced address is
        DepartmentRejected and an oversized answer MalformedAnswer (see ``services_catalog.fence``).
        """
        code = self.department_code
        if httpx.URL(path).is_absolute_url or path.startswith("//"):
            raise DepartmentRejected(code, "an adapter path must be relative to the configured base URL")
        try:
            response = self._client.request(
                method, path, params=params, json=body, timeout=httpx.Timeout(max(timeout, 0.001)),
                follow_redirects=False,
            )
        except httpx.TimeoutException as exc:
            raise DepartmentTimeout(code, type(exc).__name__) from exc
        except FenceRefused as exc:
            raise DepartmentRejected(code, f"fenced: {exc}") from exc
        except AnswerTooLarge as exc:
            raise MalformedAnswer(code, str(exc)) from exc
        except httpx.TransportError as exc:
            raise DepartmentUnavailable(code, type(exc).__name__) from exc
        if 300 <= response.status_code < 400:
            raise DepartmentRejected(code, f"HTTP {response.status_code}: redirects are not followed")
        return response

    def _serves(self, source: str, served: str) -> None:
        """Refuse a shared-data look-up of a source this department does not hold (DepartmentRejected)."""
        if source != served:
            raise DepartmentRejected(self.department_code, f"holds no shared source {source!r}")

    def _raise_for_status(self, response: httpx.Response) -> None:
        """Map HTTP 5xx to DepartmentUnavailable and 4xx to DepartmentRejected, quoting the body."""
        status = response.status_code
        if status < 400:
            return
        detail = f"HTTP {status}: {response.text[:200]}"
        if status >= 500:
            raise DepartmentUnavailable(self.department_code, detail)
        raise DepartmentRejected(self.department_code, detail)

    def _json(self, response: httpx.Response) -> Any:
        """Decode a JSON body or raise MalformedAnswer (the parser recurses: a body nested deeper than the
        interpreter's stack allows is malformed too, not a RecursionError)."""
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedAnswer(self.department_code, f"body is not JSON: {exc}") from exc
        except RecursionError:
            raise MalformedAnswer(self.department_code, "body nests too deeply") from None
