"""Every CTCAE term the SIMULATED trial can produce has a registry organ system.

The registry's adverse-events module needs an organ system per term; a term without one
would stop the results export (and empty the public page's results) of a demo trial.
"""

from __future__ import annotations

from oncotrial.exports.ctgov.organ_systems import organ_system
from oncotrial.protocol_files import load_default_protocol
from oncotrial.synthetic.generator import generate_trial


def test_every_adverse_event_term_of_200_simulated_patients_maps_to_an_organ_system() -> None:
    protocol = load_default_protocol()
    trial = generate_trial(protocol, patients=200, sites=5, seed=99)
    terms = {
        ae.term
        for candidate in trial.eligible
        for arm in (a.code for a in protocol.arms)
        for ae in candidate.script(arm).adverse_events
    }
    assert len(terms) > 20
    unmapped = sorted(t for t in terms if not _maps(t))
    assert not unmapped


def _maps(term: str) -> bool:
    try:
        organ_system(term)
    except ValueError:
        return False
    return True
