"""The app. `streamlit run dashboard.py` finds `app` below and serves it with Uvicorn: the
login routes beside the pages (metrics/login_routes.py); each browser session then runs this
file as its script (__main__), which draws the menu and runs the chosen page."""
import streamlit as st

if __name__ == "__main__":
    from pages.ui import context, feedback, frame, navigation

    st.set_page_config(page_title="两纲监测", page_icon=":material/monitoring:", layout="wide")
    pages = navigation.registered()
    chosen = st.navigation(list(pages.values()), position="hidden")
    feedback.guarded(lambda: navigation.menu(pages, frame.identify()))
    feedback.guarded(chosen.run)
    context.catch_up_menu()   # a page that stopped early did so through frame.stop
else:
    from contextlib import asynccontextmanager

    from metrics import config, startup
    from metrics.login_routes import LoginRoutes
    from pages.ui import state

    @asynccontextmanager
    async def prepared(_app):
        """Build the store and print the first administrator's password before serving."""
        startup.process_store(config.store_url())
        yield

    login = LoginRoutes(lambda: startup.process_store(config.store_url()),
                        lambda: config.settings().access, state.PAGE_PATHS)
    app = st.App("dashboard.py", lifespan=prepared, routes=login.routes(),
                 middleware=login.middleware())
