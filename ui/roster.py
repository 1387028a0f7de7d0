"""The class roster screen: add students from a pasted list, print their sign-in cards, and
fix the roster (rename, archive/restore, merge two entries, reissue a lost code).

Codes are stored only as HMACs, so a sheet of cards can be printed right after the codes are
issued (adding students, or "New codes"); it stays downloadable in this tab until it closes.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.identity import roster
from engine.identity.accounts import Teacher
from engine.identity.cards import cards_html
from engine.learners import LearnerError
from engine.teachers import classes as cls
from ui.links import app_url
from ui.text import md_escape

SS_CARDS = "roster_cards"      # (class_id, [Card]) to print
SS_NOTICE = "roster_notice"
LIST_KEY = "roster_list"


def _notice(kind: str, text: str) -> None:
    st.session_state[SS_NOTICE] = (kind, text)


def _checked(engine, teacher: Teacher, class_id: int) -> bool:
    # Every action re-checks ownership: an id from a stale widget or a forged rerun is refused.
    if not cls.can_teach(engine, teacher, class_id):
        _notice("error", str(cls.NotYourClass()))
        return False
    return True


def _add(engine, teacher: Teacher, class_id: int) -> None:
    if not _checked(engine, teacher, class_id):
        return
    try:
        students = roster.parse_class_list(st.session_state.get(LIST_KEY, ""))
    except roster.RosterError as exc:
        _notice("error", md_escape(exc))
        return
    cards = roster.add_students(engine, class_id, students)
    st.session_state[SS_CARDS] = (class_id, cards)
    st.session_state[LIST_KEY] = ""
    skipped = len(students) - len(cards)
    _notice("ok", f"{len(cards)} student(s) added, each with a personal code. Print their cards "
                  "below now: the codes are not stored and cannot be shown again."
                  + (f" {skipped} already on the roster (same e-mail) were skipped." if skipped else ""))


def _reissue(engine, teacher: Teacher, class_id: int, learner_ids: list[int]) -> None:
    if not _checked(engine, teacher, class_id) or not learner_ids:
        return
    cards = roster.reissue(engine, class_id, learner_ids)
    st.session_state[SS_CARDS] = (class_id, cards)
    _notice("ok", f"New code(s) for {len(cards)} student(s); the old codes stopped working and "
                  "their devices were signed out. Print the new cards below.")


def _rename(engine, teacher: Teacher, class_id: int, learner_id: int, key: str) -> None:
    if not _checked(engine, teacher, class_id):
        return
    try:
        name = roster.rename(engine, class_id, learner_id, st.session_state.get(key, ""))
    except (LearnerError, roster.RosterError) as exc:
        _notice("error", md_escape(exc))
        return
    _notice("ok", f"Renamed to {md_escape(name)}.")


def _archive(engine, teacher: Teacher, class_id: int, learner_id: int, archived: bool) -> None:
    if _checked(engine, teacher, class_id):
        roster.set_archived(engine, class_id, learner_id, archived)
        _notice("ok", "Archived: hidden from the class and their code no longer signs in; all "
                      "their work is kept." if archived else "Restored to the class.")


def _merge(engine, teacher: Teacher, class_id: int, keep_key: str, remove_key: str) -> None:
    if not _checked(engine, teacher, class_id):
        return
    keep, remove = st.session_state.get(keep_key), st.session_state.get(remove_key)
    if keep is None or remove is None:
        _notice("error", "Pick the entry to keep and the one to merge into it.")
        return
    try:
        moved = roster.merge(engine, class_id, int(keep), int(remove))
    except roster.RosterError as exc:
        _notice("error", md_escape(exc))
        return
    _notice("ok", f"Merged: {moved} saved item(s) (tries, reviews, answers) moved to the kept entry; "
                  "the other entry's devices and codes now lead there.")


def cards_download(school_class: cls.SchoolClass) -> None:
    held = st.session_state.get(SS_CARDS)
    if not held or held[0] != school_class.id or not held[1]:
        return
    cards = held[1]
    with st.container(border=True, key="roster_cards_box"):
        st.markdown(f"**{len(cards)} sign-in card(s) to print**")
        st.download_button("Download the printable cards (HTML)", cards_html(cards, app_url({}, "sign_in")),
                           file_name=f"sign-in-cards-{school_class.id}.html", mime="text/html",
                           icon=":material/print:", key="roster_cards_download", type="primary")
        st.caption("Open the file and print it (10 cards per page, cut along the dashed lines). "
                   "Or copy from this table:")
        st.dataframe(pd.DataFrame([{"Student": c.name, "Class code": c.class_code, "Their code": c.code}
                                   for c in cards]), hide_index=True)
        st.button("Done, hide the codes", key="roster_cards_done",
                  on_click=lambda: st.session_state.pop(SS_CARDS, None), icon=":material/visibility_off:")


def roster_screen(engine, teacher: Teacher, school_class: cls.SchoolClass) -> None:
    ss = st.session_state
    class_id = school_class.id
    notice = ss.pop(SS_NOTICE, None)
    if notice:
        (st.success if notice[0] == "ok" else st.error)(notice[1])
    code = cls.class_code(engine, class_id)
    st.markdown(f"Class code: **`{code}`** · students sign in on the **Sign in** page with the "
                "class code and their own code, once per device.")
    cards_download(school_class)
    teachers_box(engine, teacher, school_class)
    with st.form("roster_add", clear_on_submit=False):
        st.markdown("**Add students** — paste the class list: one student per line (name, or "
                    "name, e-mail, student id), or a CSV with a header row. With school "
                    "sign-in, a student whose e-mail is listed lands in this class with no code.")
        st.text_area("Class list", key=LIST_KEY, height=140,
                     placeholder="Ava Patel, ava.patel@school.example\nBen Ode\n…")
        st.form_submit_button("Add students and make their codes", type="primary",
                              on_click=_add, args=(engine, teacher, class_id), icon=":material/group_add:")
    entries = roster.entries(engine, class_id)
    active = [e for e in entries if not e.archived]
    archived = [e for e in entries if e.archived]
    st.subheader(f"Students ({len(active)})", anchor=False)
    if not active:
        st.caption("No students yet.")
    names = {e.learner_id: e.name for e in entries}
    if active:
        st.dataframe(pd.DataFrame([{
            "Student": e.name, "E-mail": e.email or "", "Student id": e.student_ref or "",
            "Code": "issued" if e.has_code else "none yet (joined by link)"} for e in active]),
            hide_index=True)
        ids = [e.learner_id for e in active]
        with st.expander("New codes (lost cards)", icon=":material/key:"):
            st.multiselect("Students who need a new code", ids, key="roster_reissue_pick",
                           format_func=lambda i: names[i])
            st.button("Make new codes", key="roster_reissue", icon=":material/autorenew:",
                      on_click=lambda: _reissue(engine, teacher, class_id, list(ss.get("roster_reissue_pick") or [])))
            st.caption("The old code stops working at once and the student's devices are signed out.")
        with st.expander("Rename or archive a student", icon=":material/edit:"):
            who = st.selectbox("Student", ids, key="roster_edit_pick", format_func=lambda i: names[i])
            if who is not None:
                key = f"roster_rename_{who}"
                ss.setdefault(key, names[who])
                st.text_input("Name", key=key, max_chars=40)
                left, right = st.columns(2)
                left.button("Save the name", key="roster_rename", on_click=_rename,
                            args=(engine, teacher, class_id, who, key), icon=":material/save:")
                right.button("Archive (remove from the class)", key="roster_archive", on_click=_archive,
                             args=(engine, teacher, class_id, who, True), icon=":material/archive:",
                             help="Hidden from the class and the gradebook, their code stops working; "
                                  "all their work is kept and can be restored.")
        if len(ids) >= 2:
            with st.expander("Merge two entries of one student", icon=":material/merge:"):
                st.selectbox("Keep", ids, key="roster_merge_keep", format_func=lambda i: names[i])
                st.selectbox("Merge into it (this entry goes)", ids, index=1, key="roster_merge_remove",
                             format_func=lambda i: names[i])
                st.button("Merge, keeping all their work", key="roster_merge", icon=":material/merge:",
                          on_click=_merge, args=(engine, teacher, class_id, "roster_merge_keep", "roster_merge_remove"))
                st.caption("Every try, answer and flashcard review of the second entry moves to the "
                           "first; tries are numbered after the kept entry's own.")
    if archived:
        with st.expander(f"Archived ({len(archived)})", icon=":material/inventory_2:"):
            for e in archived:
                left, right = st.columns([3, 1])
                left.text(e.name)
                right.button("Restore", key=f"roster_restore_{e.learner_id}", on_click=_archive,
                             args=(engine, teacher, class_id, e.learner_id, False), icon=":material/unarchive:")


def _add_co_teacher(engine, teacher: Teacher, class_id: int) -> None:
    if not _checked(engine, teacher, class_id):
        return
    chosen = st.session_state.get("roster_co_teacher")
    if chosen is None:
        return
    added = cls.add_co_teacher(engine, class_id, int(chosen))
    _notice("ok", "Co-teacher added: they now see and manage this class." if added
            else "That teacher already teaches this class.")


def teachers_box(engine, teacher: Teacher, school_class: cls.SchoolClass) -> None:
    """Who teaches the class; the owner can add a colleague as co-teacher."""
    from engine.identity import accounts
    teaching = cls.teachers_of(engine, school_class.id)
    with st.expander("Teachers of this class", icon=":material/group:"):
        for t in teaching:
            st.text(f"{t.name}{' (owner)' if t.role == 'owner' else ' (co-teacher)'}")
        owner = any(t.teacher_id == teacher.id and t.role == "owner" for t in teaching)
        others = {a.teacher.id: a.teacher.name for a in accounts.list_accounts(engine, include_archived=False)
                  if a.teacher.id not in {t.teacher_id for t in teaching}}
        if owner and others:
            st.selectbox("Add a co-teacher", list(others), key="roster_co_teacher", format_func=others.get)
            st.button("Add co-teacher", key="roster_co_add", on_click=_add_co_teacher,
                      args=(engine, teacher, school_class.id), icon=":material/person_add:")
        elif not owner:
            st.caption("The class's owner (or an admin) can add co-teachers.")


def class_picker(engine, teacher: Teacher) -> cls.SchoolClass | None:
    mine = cls.list_classes(engine, teacher)
    if not mine:
        st.info("You have no classes yet: create one on the Teacher page first.", icon=":material/info:")
        return None
    by_id = {c.id: c for c in mine}
    wanted = st.query_params.get("class")
    if "roster_class" not in st.session_state or st.session_state.roster_class not in by_id:
        st.session_state.roster_class = int(wanted) if str(wanted or "").isdigit() and int(wanted) in by_id else mine[0].id
    if str(wanted or "").strip() and not (str(wanted).isdigit() and int(wanted) in by_id):
        st.warning(str(cls.NotYourClass()), icon=":material/block:")
    chosen = st.selectbox("Class", list(by_id), key="roster_class", format_func=lambda i: by_id[i].name)
    st.query_params["class"] = str(chosen)
    return cls.require_class(engine, teacher, chosen)
