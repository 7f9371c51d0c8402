"""Names shared across pages, declared once: the pages' URL paths, the URL parameters that keep
a view's choices (so a link can be shared), links between pages, and the session-state keys.
"""
from __future__ import annotations

from urllib.parse import urlencode

# URL paths of the pages (dashboard.py registers them; links below point at them).
TRENDS_PAGE = "trends"
EVALUATION_PAGE = "evaluation"
UPLOAD_PAGE = "upload"
BATCHES_PAGE = "batches"
ADMIN_PAGE = "admin"
ACCOUNT_PAGE = "account"
PROGRESS_PAGE = "progress"
PLANS_PAGE = "plans"
# Every page's path ("" is 总览 at /): the login gate sends a browser without a session that
# opens one of them to the login form.
PAGE_PATHS = {"", TRENDS_PAGE, EVALUATION_PAGE, UPLOAD_PAGE, BATCHES_PAGE, ADMIN_PAGE,
              ACCOUNT_PAGE, PROGRESS_PAGE, PLANS_PAGE}

# URL parameters.
PLAN = "plan"            # outline id
REGION = "region"        # one region code
REGIONS = "regions"      # region codes, comma-separated (趋势)
YEAR = "year"            # evaluation year
METHOD = "method"        # progress method
INDICATOR = "ind"        # indicator code(s) (趋势: comma-separated; 中期评估: the one shown)
PEER_INDICATOR = "peer"  # the indicator compared across the regions one level down
BATCH = "batch"          # batch id (导入记录)
PERIOD = "period"        # the region whose reporting period is open (报送进度)
MINE = "mine"            # 1: only the periods that need the person's action (报送进度)
AREAS = "area"           # 中期评估's filters: area names, comma-separated
STATUSES = "status"      # … status codes, comma-separated
DEPARTMENT = "dept"      # … a lead or supporting department
VERIFIED = "verified"    # … 已核实 / 未核实
LOCAL_PLAN = "lplan"     # the local plan shown (规划管理)
NATIONAL = "national"    # 1: 趋势 draws 全国 beside the regions, for comparison

# Session-state keys (per browser tab, short-lived UI state).
ACTOR = "acting_user"            # who this rerun acts for (frame.prepare sets it)
TEST_COOKIE = "test_login_cookie"  # the guard's test seam (honoured only under tests)
NEW_PASSWORD = "new_password"    # a password just set by 系统管理: (user, password), shown once
DATA_VERSION = "data_version"    # the store's data version, read once per rerun
UPLOAD_CHECK = "upload_check"    # the checked upload: (key, upload)
UPLOAD_PREVIEW = "upload_preview"  # its comparison with the store: (key, preview)
IMPORTED = "imported"            # imports made in this tab: file/sheet → batch id
UNDO_RESULT = "undo_result"      # (succeeded, message) of an undo, shown after its rerun
PERIOD_RESULT = "period_result"  # (succeeded, message) of a reporting step, after its rerun
BRIEFING = "briefing"            # the last built briefing: (scope, workbook, document, error)
PLAN_RESULT = "plan_result"      # (succeeded, message) of a plan change, shown after its rerun
PLAN_CHANGED = "plan_changed"    # the plan just changed (or created): shown after the rerun
PLAN_ANNEX = "plan_annex_check"  # the checked annex table: (plan id, file digest, table)


def link(page: str, **params: str) -> str:
    """A relative link to a page with URL parameters, e.g. ./trends?plan=…&ind=…"""
    query = urlencode({key: value for key, value in params.items() if value}, safe=",")
    return f"./{page}?{query}" if query else f"./{page}"


def trends_link(plan: str, region: str, indicator: str) -> str:
    """The trend page of one indicator in one region."""
    return link(TRENDS_PAGE, **{PLAN: plan, REGIONS: region, INDICATOR: indicator})


def batch_link(batch_id: int) -> str:
    """The import history opened at one batch."""
    return link(BATCHES_PAGE, **{BATCH: str(batch_id)})

# Context carried from page to page (pages/ui/context.py).
PAGE_PARAMS = "page_params"        # each page's last URL parameters, by page
SHARED_CONTEXT = "shared_context"  # outline, region and year chosen last, on any page
MENU = "menu_slot"                 # this rerun's menu, drawn again when the context changes
IDENTIFIED = "identified"          # (rerun, who) as this rerun's menu and page guard found
