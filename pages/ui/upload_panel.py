"""The pieces of the 数据上传 page: template downloads, the once-per-file check, the two kinds
of report, and the import itself (for a file and for a report's figures alike).

Streamlit reruns the page on every widget interaction while the uploader keeps its file, so:
the read and check are kept in session state under (SHA-256, sheet, region, data version) and
never repeated by a rerun; the import runs only inside the 确认导入 click, is remembered by the
file's SHA-256, and the store refuses a file already in force (ingest.AlreadyImported).
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import config
from metrics.access import Actor
from metrics.catalogue import Catalogue
from metrics.errors import MetricsError
from metrics.uploads import ingest, isolation, templates
from metrics.uploads import report as upload_report
from metrics.uploads.problems import ERROR, Problem
from metrics.wording import moment_text
from pages.ui import cache, selectors, state
from pages.ui.markdown_text import literal, literal_table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = st.column_config
# Longer problem lists are left to the CSV download: thousands of table rows slow the page.
SHOWN_PROBLEMS = 1000


def template_downloads(cat: Catalogue) -> None:
    """Outline, years and an optional region; the template as .xlsx and .csv."""
    plans = cat.plans.set_index("id")
    left, middle, right = st.columns([2, 2, 3])
    outline = selectors.choose_outline(where=left)
    plan = plans.loc[outline]
    this_year = dt.date.today().year
    first, last = middle.slider("年份", int(plan["baseline_year"]) - 10, this_year,
                                (int(plan["baseline_year"]), this_year - 1), format="%d年")
    labels = region_labels()
    region = right.selectbox("预填地区（可选）", list(labels), index=None, format_func=labels.get,
                             placeholder="不预填，由填报人填写")
    table = templates.template_frame(cat, outline, list(range(first, last + 1)), region)
    stem = f"{plan['short_name']}_填报模板_{first}-{last}年" + (
        f"_{cat.regions.set_index('code').at[region, 'name']}" if region else "")
    st.caption(f"共 {len(table)} 项指标，每个年份一列；第二张工作表为填表说明。")
    buttons = st.columns([1, 1, 3])
    buttons[0].download_button("下载 Excel 模板", lambda: templates.xlsx_bytes(table),
                               f"{stem}.xlsx", XLSX_MIME, on_click="ignore",
                               icon=":material/download:")
    buttons[1].download_button("下载 CSV 模板", lambda: templates.csv_bytes(table),
                               f"{stem}.csv", "text/csv", on_click="ignore",
                               icon=":material/download:")


def region_labels() -> dict[str, str]:
    """Code → 朝阳区 · 北京市 for every region offered in selectors."""
    return dict(cache.offered_regions().labels)


def checked(raw: bytes, file_id: str, file_name: str, cat: Catalogue, sheet: str | None,
            region: str | None) -> ingest.Upload:
    """The file read and checked once per uploaded file, sheet, default region and catalogue
    revision; later reruns reuse the kept result. Not per data version: a commit (this one's
    or anyone's) changes the stored values, which the check never reads, so the rerun after
    确认导入 does not read and check the file again. Only the latest result is kept: uploads
    can be large and one process holds every session."""
    locks = cache.locks()   # a period locked since is a new check (its rows are errors)
    held = tuple(locks[["outline_id", "region_code", "year"]].itertuples(index=False))
    key = (file_id, sheet, region, cache.data_version()[0], held)
    kept = st.session_state.get(state.UPLOAD_CHECK)
    if kept is not None and kept[0] == key:
        return kept[1]
    with st.spinner("正在读取并检查文件…"):
        # In a process of its own: no file can take the server down or hold this thread past
        # the time limit.
        upload = isolation.read_upload(raw, file_name, cat, sheet, default_region=region,
                                       scope=cache.capture_codes(),
                                       limits=config.settings().upload, locks=locks)
        cache.record_check(upload)
    st.session_state[state.UPLOAD_CHECK] = (key, upload)
    st.session_state.pop(state.UPLOAD_PREVIEW, None)
    return upload


def previewed(upload: ingest.Upload, cat: Catalogue) -> ingest.Preview:
    """What a valid upload would change, compared with the store once per data version (the
    stored values it is compared with change with every batch)."""
    key = (upload.sha256, upload.sheet, cache.data_version())
    kept = st.session_state.get(state.UPLOAD_PREVIEW)
    if kept is not None and kept[0] == key:
        return kept[1]
    with st.spinner("正在与现有数据比对…"):
        found = cache.preview(upload, cat)
    st.session_state[state.UPLOAD_PREVIEW] = (key, found)
    return found


def import_key(upload: ingest.Upload) -> str:
    """What one import is: a file's content and, in a workbook, the sheet."""
    return f"{upload.sha256}/{upload.sheet or ''}"


def import_state(upload: ingest.Upload) -> tuple[int | None, bool]:
    """The batch in force that imported this file's sheet (if any), and whether this session
    imported it. A remembered import that has since been undone is forgotten, so the file can
    be imported again."""
    live = cache.live_batch(upload)
    imported = st.session_state.setdefault(state.IMPORTED, {})
    key = import_key(upload)
    if imported.get(key) != live:
        imported.pop(key, None)
    return live, key in imported


def render_problems(upload: ingest.Upload) -> None:
    """Why nothing can be imported: a summary, then for row errors the counts by kind, every
    problem, and a CSV of them. The summary quotes the file's cells and sheet name."""
    st.error(literal(upload_report.error_summary(upload)), icon=":material/error:")
    if upload_report.file_level(upload):
        return
    counts = upload_report.problem_counts(upload.problems)
    st.markdown("按问题类型：" + "；".join(f"**{kind}** {n} 处" for kind, n in
                                     zip(counts["类型"], counts["处数"])))
    render_problem_table(upload.problems, "问题清单", upload.file_name)


def render_problem_table(problems: list[Problem], title: str, file_name: str) -> None:
    """Problems as a static table, so long messages and hints wrap instead of being cut off; a
    long list scrolls under a sticky header and comes with a CSV download (beyond SHOWN_PROBLEMS
    only the CSV has them all). Errors always get the download: they are the work list.
    st.table renders Markdown, and messages and column headings come from the file."""
    long = len(problems) > 12
    shown = upload_report.problem_table(problems[:SHOWN_PROBLEMS])
    st.table(literal_table(shown), hide_index=True, height=480 if long else "content")
    if len(problems) > SHOWN_PROBLEMS:
        st.caption(f"共 {len(problems)} 处，此处列出前 {SHOWN_PROBLEMS} 处；完整清单请下载 CSV。")
    if long or any(p.severity == ERROR for p in problems):
        st.download_button(f"下载{title}（CSV）", upload_report.problems_csv(problems),
                           f"{file_name.rsplit('.', 1)[0]}_{title}.csv", "text/csv",
                           on_click="ignore", icon=":material/download:")


def render_preview(upload: ingest.Upload, found: ingest.Preview, cat: Catalogue) -> None:
    """What the import would do: counts, warnings, and the new and changed values."""
    counts = upload_report.counts(upload, found)
    st.success("文件检查通过：" + "，".join(f"{label} {n}" for label, n in counts.items()) + "。",
               icon=":material/check_circle:")
    left_out = upload_report.left_out_rows(upload)
    if left_out:
        st.caption(left_out)
    if found.warnings:
        kinds = upload_report.problem_counts(found.warnings)
        st.warning(f"{len(found.warnings)} 条提示（" + "、".join(
            f"{kind} {n} 条" for kind, n in zip(kinds["类型"], kinds["处数"]))
            + "）不影响导入，请核对后再确认：", icon=":material/warning:")
        render_problem_table(found.warnings, "提示清单", upload.file_name)
    # Changed values first: they overwrite data already in use. An empty kind gets no tab.
    shown = [c for c in ("changed", "new") if found.count(c)]
    labels = {"changed": f"修改的数值（{counts['修改']}）", "new": f"新增的数值（{counts['新增']}）"}
    for tab, change in zip(st.tabs([labels[c] for c in shown]) if shown else [], shown):
        tab.dataframe(upload_report.change_table(found, cat, change), hide_index=True,
                      width="stretch", column_config={"行": COLUMNS.NumberColumn(format="%d")})


def import_upload(upload: ingest.Upload, note: str) -> None:
    """Commit on the 确认导入 click, at most once per file in this session; rerun afterwards so
    the page shows the imported state."""
    imported = st.session_state.setdefault(state.IMPORTED, {})
    if import_key(upload) in imported:
        return
    with st.status("正在导入…", expanded=True) as status:
        status.write("写入数值并记录修订…")
        try:
            batch = cache.commit(upload, note)
        except ingest.AlreadyImported as exc:
            status.update(label=f"已导入过：{literal(exc)}", state="error")
            return
        except ingest.NothingToImport as exc:  # the same values stored since the preview
            status.update(label=str(exc), state="complete")
            st.info(str(exc), icon=":material/info:")
            return
        except MetricsError as exc:  # e.g. the database held by a command for too long
            status.update(label=f"导入失败，未写入任何数据：{literal(exc)}", state="error")
            return
        imported[import_key(upload)] = batch
        status.update(label=f"已导入，批次 {batch}", state="complete")
    st.rerun()


def render_imported(batch_id: int, here: bool) -> None:
    """The state of a file already in force: imported just now in this session, or before."""
    batch = cache.batch(batch_id)
    if here:
        st.success(f"已导入，批次 {batch_id}：新增 {batch['n_new']} 个、修改 {batch['n_changed']} 个"
                   f"数值，{batch['n_unchanged']} 个未变。各页面已显示新数据。",
                   icon=":material/check_circle:")
    else:
        st.info(f"该文件已导入过（批次 {batch_id}，{moment_text(batch['created_at'])}，"
                f"导入人：{literal(batch['user_name'])}），本次未重复导入。如需重新导入，请先在"
                "“导入记录”中撤销该批次。", icon=":material/info:")
    # A plain link: st.page_link needs st.navigation, which a deep link on a fresh server skips.
    st.markdown(f"[在“导入记录”中查看批次 {batch_id} →]({state.batch_link(batch_id)})")


def review_and_import(upload: ingest.Upload, cat: Catalogue, actor: Actor) -> None:
    """What the page shows once an upload is checked, a file's or a report's figures: its
    imported state, or its problems, or its preview and the 确认导入 form."""
    live, imported_here = import_state(upload)
    if live is not None:
        render_imported(live, imported_here)
        return
    if not upload.valid:
        render_problems(upload)
        return
    preview = previewed(upload, cat)
    render_preview(upload, preview, cat)
    if not (preview.count("new") or preview.count("changed")):
        st.info(str(ingest.NothingToImport()), icon=":material/info:")
        return
    with st.form("confirm_import", border=False):
        # 导入人 is the signed-in user: a typed name could be anyone's.
        st.caption(f"导入人：{literal(actor.name)}（{actor.role_label}）")
        note = st.text_input("备注", placeholder="例如：2024年卫生健康委年报数据", max_chars=200)
        confirmed = st.form_submit_button("确认导入", type="primary", icon=":material/upload:")
    if confirmed:
        import_upload(upload, note.strip())
