"""Review logic without Qt: bulk decisions (:mod:`.bulk`), jumps, bookmarks and search and
replace (:mod:`.navigation`), and the review commands' keys (:mod:`.keymap`). The window's
power tools (``workbench.gui.power``, ``gui.bulk``, ``gui.textfix``, ``gui.keymap_dialog``)
present them."""
