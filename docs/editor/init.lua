-- The Neovim settings docs/editor/draw.sh starts Neovim with (Neovim 0.7 or later): `.policy`
-- and `.scenario` files start `tally lsp`, diagnostics show beside the line, hover has a border.
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 2
vim.cmd("autocmd BufRead,BufNewFile *.policy,*.scenario setfiletype tally")
vim.api.nvim_create_autocmd("FileType", {
  pattern = "tally",
  callback = function(args)
    local id = vim.lsp.start_client({ name = "tally", cmd = { "tally", "lsp" }, root_dir = vim.fn.getcwd() })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
vim.lsp.handlers["textDocument/hover"] = vim.lsp.with(vim.lsp.handlers.hover, { border = "rounded" })
vim.keymap.set("n", "K", vim.lsp.buf.hover)
vim.cmd([[
  highlight NormalFloat ctermbg=236 ctermfg=253
  highlight FloatBorder ctermbg=236 ctermfg=244
  highlight SignColumn ctermbg=NONE
  highlight LineNr ctermfg=243
  highlight Comment ctermfg=108
  highlight DiagnosticVirtualTextError ctermfg=203
  highlight DiagnosticUnderlineError cterm=underline ctermfg=203
]])
