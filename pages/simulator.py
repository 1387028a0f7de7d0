"""Training simulator: change batch size, learning rate or epochs and see what training does."""
import streamlit as st

from ui import simulator as sim
from ui import simulator_controls as controls
from ui import simulator_results as results
from ui.connection import reconnect_safely
from ui.setup import page

page("Simulator", ":material/monitoring:")
ss = st.session_state
sim.init_state()

# A compact heading and no intro paragraph: on a phone every line above the charts pushes
# them off the first screen (the headline under the controls says what the run does).
st.header("Training simulator", help="A small neural network learns to separate two-dimensional points. Change a "
          "setting and watch the loss and accuracy of the training and the held-out validation data.")


# A change of setting reruns only this part of the page: the settings, the run and its charts.
@st.fragment
def workbench() -> None:
    sim.keep_hidden_settings()
    for note in ss.sim_url_notes:
        st.warning(f"The link had a value this simulator cannot use. {sim.plain(note)}", icon=":material/build:")
    controls.main_bar()
    for note in ss.sim_input_notes:
        st.warning(note, icon=":material/build:")
    config = sim.current_config()
    if config is None:
        return
    ss.sim_config = config
    sim.sync_url(config)
    results.show(config)


workbench()

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
