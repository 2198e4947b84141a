"""Time-point overall response: RECIST 1.1 Tables 1 and 2.

Source: Eisenhauer et al., Eur J Cancer 2009;45:228–247, §4.4.1.

Table 1 (patients with target disease):

========================  ============================  ==========  =======
Target                    Non-target                    New lesion  Overall
========================  ============================  ==========  =======
CR                        CR                            No          CR
CR                        Non-CR/non-PD                 No          PR
CR                        Not evaluated                 No          PR
PR                        Non-PD or not all evaluated   No          PR
SD                        Non-PD or not all evaluated   No          SD
Not all evaluated         Non-PD                        No          NE
PD                        Any                           Yes or No   PD
Any                       PD                            Yes or No   PD
Any                       Any                           Yes         PD
========================  ============================  ==========  =======

Table 2 (non-target disease only): CR / No → CR; Non-CR/non-PD / No →
Non-CR/non-PD; not all evaluated / No → NE; unequivocal PD → PD; any new → PD.

"New lesion" means an unequivocal new lesion; an equivocal one does not change the
response as read (§4.3.5). A target CR with no non-target lesion at baseline (NA) is
CR. The same tables are used for mRECIST (Lencioni & Llovet, Semin Liver Dis
2010;30:52–60).
"""

from __future__ import annotations

from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import (
    NewLesionStatus,
    NonTargetResponse,
    Response,
    TargetResponse,
)


def overall_response(
    target: TargetResponse, non_target: NonTargetResponse, new_lesions: NewLesionStatus
) -> Response:
    """Overall response at one time point (RECIST 1.1 §4.4.1, Tables 1 and 2).

    Raises
    ------
    DomainError
        When there is neither target nor non-target disease (both ``NA``).
    """
    if (
        new_lesions is NewLesionStatus.UNEQUIVOCAL
        or target is TargetResponse.PD
        or non_target is NonTargetResponse.PD
    ):
        return Response.PD
    if target is TargetResponse.NOT_APPLICABLE:
        return _table_2(non_target)
    if target is TargetResponse.NE:
        return Response.NE
    if target is TargetResponse.CR:
        resolved = non_target in (NonTargetResponse.CR, NonTargetResponse.NOT_APPLICABLE)
        return Response.CR if resolved else Response.PR
    if target is TargetResponse.PR:
        return Response.PR
    return Response.SD


def _table_2(non_target: NonTargetResponse) -> Response:
    if non_target is NonTargetResponse.CR:
        return Response.CR
    if non_target is NonTargetResponse.NON_CR_NON_PD:
        return Response.NON_CR_NON_PD
    if non_target is NonTargetResponse.NE:
        return Response.NE
    raise DomainError(
        "lesions",
        "no target and no non-target lesion",
        "at least one baseline lesion under each criterion",
    )
