"""Review logic without Qt: bulk decisions (:mod:`.bulk`), jumps, bookmarks and search and
replace (:mod:`.navigation`), the review commands' keys (:mod:`.keymap`), and the aligner's
confidence as the curator sees it (:mod:`.confidence`: bands, filters, wording), the review
window's state that its tools receive (:mod:`.state`) and a document aligned or translated in
its background (:mod:`.tasks`). The window's power tools (``workbench.gui.power``,
``gui.bulk``, ``gui.textfix``, ``gui.keymap_dialog``) present them."""
