"""Admin forms for KOV staff: a KOV's editors see only their own KOVs, the roles of their
own staff and the register's partner institutions; the model's clean() says what is wrong."""

from directory.models import Role
from publishing import scope
from publishing.forms import ScopedForm


class ReferralRouteForm(ScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kov_role" in self.fields:
            self.fields["kov_role"].queryset = Role.objects.filter(kind="kov-staff")
        if "partner" in self.fields and self.for_user is not None:
            self.fields["partner"].queryset = scope.visible_queryset(scope.PartnerInstitution, self.for_user)


class CooperationForm(ScopedForm):
    pass
