"""Request bodies of the application routes (answers are built by ``handling.application_view`` and friends)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from applications.states import DELIVERY_METHODS, MOVES, OUTCOMES, STATES

__all__ = ["ApplicationIn", "CorrectionIn", "MoveIn", "DEPARTMENT_MOVES", "QueueArgs", "MessageArgs", "MineArgs",
           "PreCheckIn", "MaterialsIn", "CommitmentIn", "OwedMaterialsIn"]

#: the moves a department takes (its staff in the back office, or its system's signed callback)
DEPARTMENT_MOVES = tuple(sorted(name for name, m in MOVES.items() if "staff" in m.actors))
_TEXT = validate.Length(max=2000)


class ApplicationIn(Schema):
    """An application: the item's implementation code and the form data."""

    impl_code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    form = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), required=True)
    materials = fields.Nested(lambda: MaterialsIn(), load_default=None)
    # 代办: the id of the authorisation under which an agent applies for its holder (zwt.applications.agents)
    on_behalf_of = fields.String(load_default=None, validate=validate.Length(min=1, max=40))
    commitment = fields.Nested(lambda: CommitmentIn(), load_default=None)


class CommitmentIn(Schema):
    """A credit commitment (信用承诺): the deferrable materials to deliver later, and the applicant's signature."""

    materials = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                            validate=validate.Length(min=1, max=50))
    accepted = fields.Boolean(required=True)


class MaterialsIn(Schema):
    """The citizen's choices for the materials: which may use a license or shared data, which library files."""

    consent = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                          validate=validate.Length(max=50))
    uploads = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=200)),
                          values=fields.String(validate=validate.Length(min=1, max=40)), load_default=dict,
                          validate=validate.Length(max=50))


class OwedMaterialsIn(MaterialsIn):
    """Owed materials delivered: which (default every one still owed), with consent and library files as at
    submission."""

    materials = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                            validate=validate.Length(max=50))


class CorrectionIn(Schema):
    """The corrected form fields (only those that change)."""

    form = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), load_default=dict)


class MoveIn(Schema):
    """One step by the department, with what it needs (a reason, an outcome and legal basis, a delivery)."""

    move = fields.String(required=True, validate=validate.OneOf(DEPARTMENT_MOVES))
    message = fields.String(load_default="", validate=_TEXT)
    outcome = fields.String(load_default=None, validate=validate.OneOf(tuple(OUTCOMES)))
    reason = fields.String(load_default="", validate=_TEXT)
    legal_basis = fields.String(load_default="", validate=_TEXT)
    delivery = fields.String(load_default=None, validate=validate.OneOf(tuple(DELIVERY_METHODS)))
    license_fields = fields.Dict(keys=fields.String(validate=validate.Length(max=40)),
                                 values=fields.String(validate=validate.Length(max=200)), load_default=dict)


class MineArgs(Schema):
    """Filters of the citizen's list."""

    state = fields.String(load_default=None, validate=validate.OneOf(tuple(STATES)))


class QueueArgs(Schema):
    """Filters of the back office queue."""

    state = fields.String(load_default=None, validate=validate.OneOf(tuple(STATES)))
    impl_code = fields.String(load_default=None, validate=validate.Length(min=1, max=80))
    due_before = fields.Date(load_default=None)
    overdue = fields.Boolean(load_default=None)


class MessageArgs(Schema):
    """Filters of the message centre."""

    unread = fields.Boolean(load_default=False)


class PreCheckIn(Schema):
    """A pre-check: the item, and per material (by its name) the library file offered for it, if any."""

    impl_code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    uploads = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=200)),
                          values=fields.String(validate=validate.Length(min=1, max=40)), load_default=dict,
                          validate=validate.Length(max=50))
