"""Word the claims kept in stored plans for their evidence level, as new plans word them.

Plans store each step's reason with the claim behind it ("Light fingertip tapping … helps the
skin (evidence: NONE …)"); claims are now worded for their level ("It is said that …, but no study
has tested it"). The old and new wordings are written out here, not read from the library, so this
migration means the same whatever the library says later.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (the claim as plans stored it, the claim worded for its evidence level)
REWORDED: tuple[tuple[str, str], ...] = (
    (
        ("Massaging a cheek briefly increases blood flow in the skin of that cheek."),
        (
            "A controlled study, not clearly randomised, suggests that massaging a cheek "
            "briefly increases blood flow in the skin of that cheek."
        ),
    ),
    (
        (
            "A few minutes of daily facial self-massage may make fine lines and dullness look"
            " a little better within weeks."
        ),
        (
            "A study without a comparison group suggests that a few minutes of daily facial "
            "self-massage may make fine lines and dullness look a little better within weeks."
        ),
    ),
    (
        (
            "Daily use of a vibrating massage device, added to a face cream, may reduce the "
            "look of wrinkles in older women more than the cream alone."
        ),
        (
            "A controlled study, not clearly randomised, suggests that daily use of a "
            "vibrating massage device, added to a face cream, may reduce the look of wrinkles"
            " in older women more than the cream alone."
        ),
    ),
    (
        (
            "Stretching skin cells (fibroblasts) makes them produce more collagen in the "
            'laboratory; this is the idea behind "massage stimulates collagen".'
        ),
        (
            "Laboratory studies suggest that stretching skin cells (fibroblasts) makes them "
            'produce more collagen, the idea behind "massage stimulates collagen"; no study '
            "has shown it in a living face."
        ),
    ),
    (
        ("Light fingertip tapping along the contours of the face helps the skin."),
        (
            "It is said that light fingertip tapping along the contours of the face helps the"
            " skin, but no study has tested it."
        ),
    ),
    (
        (
            "Gentle kneading and slow fascial stretches improve the firmness and elasticity "
            "of facial skin."
        ),
        (
            "It is said that gentle kneading and slow fascial stretches improve the firmness "
            "and elasticity of facial skin, but no study has tested it."
        ),
    ),
    (
        ("Quick light pinching of the skin (Jacquet pinching) firms the skin and softens lines."),
        (
            "It is said that quick light pinching of the skin (Jacquet pinching) firms the "
            "skin and softens lines, but no study has tested it."
        ),
    ),
    (
        (
            "Featherlight strokes toward the lymph nodes, finishing down the neck, may ease "
            "puffiness."
        ),
        (
            "Practitioners hold that featherlight strokes toward the lymph nodes, finishing "
            "down the neck, may ease puffiness; that is their opinion, not a tested result."
        ),
    ),
    (
        ("Begin and end a facial massage with light gliding strokes (effleurage)."),
        (
            "Practitioners hold that a facial massage should begin and end with light gliding"
            " strokes (effleurage); that is their opinion, not a tested result."
        ),
    ),
    (
        ("A facial massage can ease anxiety and lift mood for a while."),
        (
            "A study without a comparison group suggests that a facial massage can ease "
            "anxiety and lift mood for a while."
        ),
    ),
    (
        (
            "Oral collagen peptides may improve skin elasticity and hydration; the evidence "
            "is contested and of low certainty."
        ),
        (
            "Reviews of several trials suggest that oral collagen peptides may improve skin "
            "elasticity and hydration, though the evidence is contested and of low certainty."
        ),
    ),
    (
        ("Massage and collagen peptides together work better than either alone."),
        (
            "It is said that massage and collagen peptides together work better than either "
            "alone, but no study has tested it."
        ),
    ),
    (
        (
            "Firm pressure on the front or sides of the neck can, rarely, cause stroke-like "
            "complications in older people."
        ),
        (
            "A study without a comparison group suggests that firm pressure on the front or "
            "sides of the neck can, rarely, cause stroke-like complications in older people."
        ),
    ),
    (
        (
            "Beginners do best starting with light tapping and circles, adding kneading, "
            "stretches and pinching over the weeks."
        ),
        (
            "It is said that beginners do best starting with light tapping and circles, "
            "adding kneading, stretches and pinching over the weeks, but no study has tested "
            "it."
        ),
    ),
    (
        (
            "Judge whether it works after at least 8 weeks, against a baseline taken before "
            "the first session."
        ),
        (
            "Practitioners hold that whether it works is best judged after at least 8 weeks, "
            "against a baseline taken before the first session; that is their opinion, not a "
            "tested result."
        ),
    ),
)

BATCH = 500


def _reword(text: str) -> str:
    for old, new in REWORDED:
        if old in text:
            text = text.replace(old, new)
    return text


def _reword_steps(steps: list[dict[str, Any]]) -> bool:
    changed = False
    for step in steps:
        why = step.get("why")
        if isinstance(why, str) and _reword(why) != why:
            step["why"] = _reword(why)
            changed = True
    return changed


def reword_stored_claims(apps: Any, schema_editor: Any) -> None:
    stored_program = apps.get_model("plans", "StoredProgram")
    planned_session = apps.get_model("plans", "PlannedSession")
    for program in stored_program.objects.iterator(chunk_size=BATCH):
        whole = program.program
        changed = False
        for session in whole.get("sessions", []):
            changed |= _reword_steps(session.get("steps", []))
        for item in whole.get("daily", []):
            evidence = item.get("evidence")
            if isinstance(evidence, str) and _reword(evidence) != evidence:
                item["evidence"] = _reword(evidence)
                changed = True
        if changed:
            program.program = whole
            program.save(update_fields=["program"])
    for row in planned_session.objects.iterator(chunk_size=BATCH):
        if _reword_steps(row.steps):
            row.save(update_fields=["steps"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(reword_stored_claims, migrations.RunPython.noop)]
