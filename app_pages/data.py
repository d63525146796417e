"""Your data: import ACLED, GTD, CSV or GeoJSON files into the workspace; rename and delete datasets.

Imported data lives in the workspace (one GeoPackage beside the curated data, never
mixed into it). Every valid row is imported; each refused row is listed with its
reason. The dashboard draws the imported events apart from the reports' events.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.imports.limits import MAX_DATASET_NAME, MAX_FILE_BYTES, size_limit_in_words
from geo.imports.model import IMPORT_FORMATS
from geo.schema import EVENT_TYPES
from ui.datasets import dataset_section
from ui.identity import current_actor
from ui.text import plain as _plain

FORMAT_LABELS = {
    "acled": "ACLED export (CSV; current, older and humanitarian-portal layouts)",
    "gtd": "Global Terrorism Database extract (CSV or Excel)",
    "csv": "Other CSV (latitude/longitude or place names)",
    "geojson": "GeoJSON points",
}
NOT_MAPPED = ""
UPLOAD_LIMIT_MB = MAX_FILE_BYTES // 1_000_000  # the importer's own limit: Streamlit's MB is 1,000,000 bytes


def _guess_format(file_name: str) -> str:
    name = file_name.lower()
    if name.endswith((".geojson", ".json")):
        return "geojson"
    if "acled" in name:
        return "acled"
    if "gtd" in name or name.endswith((".xlsx", ".xls")):
        return "gtd"
    return "csv"


def _column_mapping(upload, file_format: str) -> dict[str, str] | None:
    """For a generic CSV or GeoJSON: the columns, guessed, for the user to confirm."""
    from geo.imports import TABLE_FIELDS, guess_column_mapping, read_table_preview

    header, first_rows, problems = read_table_preview(upload.getvalue(), upload.name)
    if problems:
        for problem in problems:
            st.error(_plain(problem))
        return None
    guessed = guess_column_mapping(list(header))
    st.markdown("**Which column holds what?** Guessed from the names; change any that is wrong.")
    st.dataframe(pd.DataFrame(first_rows, columns=list(header)).head(5), hide_index=True, width="stretch")
    mapping, columns = {}, st.columns(3)
    # A file without a type column can give every row one type ('=kidnapping').
    fixed_types = {f"={type_id}": f"every row: {label}" for type_id, label in EVENT_TYPES.items()}
    for position, (field, meaning) in enumerate(TABLE_FIELDS.items()):
        choices = [NOT_MAPPED, *header, *(fixed_types if field == "type" else ())]
        guess = guessed.get(field, NOT_MAPPED)
        picked = columns[position % 3].selectbox(
            field.replace("_", " ").capitalize(),
            choices,
            help=meaning,
            index=choices.index(guess) if guess in choices else 0,
            key=f"map_{file_format}_{field}",
            format_func=lambda c: "— none —" if c == NOT_MAPPED else fixed_types.get(c, c),
        )
        if picked != NOT_MAPPED:
            mapping[field] = picked
    return mapping


def import_form() -> None:
    st.header("Import a file")  # under the page's title, a level below
    upload = st.file_uploader(
        "A file of events",
        type=["csv", "txt", "tsv", "xlsx", "geojson", "json"],
        key="import_upload",
        max_upload_size=UPLOAD_LIMIT_MB,
        help=f"Up to {size_limit_in_words()}.",
    )
    if upload is None:
        st.caption(
            "ACLED and GTD exports are read as they come; for another CSV or a GeoJSON you confirm "
            "which column holds what."
        )
        return
    left, right = st.columns(2)
    guess = _guess_format(upload.name)
    file_format = left.selectbox(
        "Format",
        IMPORT_FORMATS,
        index=IMPORT_FORMATS.index(guess),
        format_func=FORMAT_LABELS.get,
        key=f"import_format_{upload.file_id}",
    )
    # No max_chars: a longer name pasted in is said to be too long, not cut short unseen.
    name = right.text_input(
        "Dataset name",
        value=Path(upload.name).stem[:MAX_DATASET_NAME],
        key=f"import_name_{upload.file_id}",
        help=f"At most {MAX_DATASET_NAME} characters.",
    )
    mapping = _column_mapping(upload, file_format) if file_format in ("csv", "geojson") else None
    if file_format in ("csv", "geojson") and mapping is None:
        return
    if st.button("Import", type="primary", icon=":material/upload:", key="import_go"):
        run_import(upload, file_format, name.strip(), mapping)


def run_import(upload, file_format: str, name: str, mapping) -> None:
    from geo.imports import dataset_name_problem, import_file_contained
    from geo.workspace import WorkspaceError, open_workspace

    if problem := dataset_name_problem(name):
        st.error(problem[0].upper() + problem[1:] + ".")
        return
    with st.spinner("Importing…"):  # in a process of its own, so a runaway file cannot slow other sessions
        result = import_file_contained(
            upload.getvalue(), file_format, dataset=name, file_name=upload.name, column_mapping=mapping
        )
    refused = [(r.row, r.reason) for r in result.refused]
    if result.imported == 0:
        st.session_state.last_import = (name, False, f"nothing imported: {result.summary()}", refused, [])
        return
    try:
        workspace = open_workspace()
        workspace.save_dataset(
            name, result, file_name=upload.name, format=file_format, by=current_actor(workspace.shared)
        )
    except (ValueError, WorkspaceError) as error:
        st.session_state.last_import = (name, False, f"not saved: {error}", refused, [])
        return
    st.session_state.last_import = (name, True, result.summary(), refused, list(result.problems))


def last_import() -> None:
    report = st.session_state.get("last_import")
    if not report:
        return
    name, saved, summary, refused, problems = report
    if saved:
        st.success(
            f"“{_plain(name)}”: {_plain(summary)}. Its events are on the dashboard, drawn apart from the "
            "reports' events."
        )
    else:
        st.error(f"“{_plain(name)}”: {_plain(summary)}")
    for problem in problems:
        st.warning(_plain(problem))
    if refused:
        st.markdown(f"**Refused rows ({len(refused):,})**")
        st.dataframe(pd.DataFrame(refused, columns=["Row", "Why"]), hide_index=True, width="stretch")


def main() -> None:
    st.title("Your data")
    st.markdown(
        "Bring your own events (ACLED, GTD, a spreadsheet, a GeoJSON) and see them beside the "
        "reports'. They are kept apart from the curated, cited data and drawn in their own style."
    )
    import_form()
    last_import()
    dataset_section()


main()
