"""Review logic without Qt: bulk decisions (:mod:`.bulk`), jumps, bookmarks and search and
replace (:mod:`.navigation`), the review commands' keys (:mod:`.keymap`), and the aligner's
confidence as the curator sees it (:mod:`.confidence`: bands, filters, wording). The window's
power tools (``workbench.gui.power``, ``gui.bulk``, ``gui.textfix``, ``gui.keymap_dialog``)
present them."""
