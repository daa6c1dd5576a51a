-- Neovim 0.11 or later, in init.lua.
vim.lsp.config("fixorder", {
  cmd = { "fixorder", "server" },
  filetypes = { "python" },
  root_markers = { "pyproject.toml", ".git" },
})
vim.lsp.enable("fixorder")
