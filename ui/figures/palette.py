"""The app's colours: the Okabe-Ito palette, which stays distinct for the common forms of
colour blindness. Every image, plotly chart and slide figure takes its colours from here.
"""

# Okabe-Ito colours
TP_COLOR = "#009E73"  # bluish green: found foreground
FP_COLOR = "#E69F00"  # orange: false alarm
FN_COLOR = "#0072B2"  # blue: missed foreground
TN_COLOR = "#E6E6E6"  # light grey: correct background
UP_COLOR = "#D55E00"  # vermillion: the loss wants a higher probability
DOWN_COLOR = "#0072B2"  # blue: the loss wants a lower probability
REF_COLOR = "#7F7F7F"
MARK_COLOR = "#CC79A7"

#: One colour, dash and width per loss, for figures that draw every loss at once. Dice,
#: Tversky and Focal Tversky coincide at their default parameters, so they differ in dash
#: as well as colour.
LOSS_STYLE = {
    "bce": (REF_COLOR, "dash", 3),
    "focal": ("#E69F00", "solid", 3),
    "dice": ("#009E73", "solid", 6),
    "bce_dice": ("#56B4E9", "solid", 3),
    "iou": ("#0072B2", "solid", 3),
    "tversky": ("#D55E00", "dash", 3),
    "focal_tversky": ("#CC79A7", "dot", 4),
    "combo": ("#000000", "dashdot", 3),
    "unified_focal": ("#882255", "longdash", 4),  # Paul Tol's wine: the eight above are taken
}
#: The two runs of the training lab: vermillion for loss A, blue for loss B.
RUN_COLORS = ("#D55E00", "#0072B2")
