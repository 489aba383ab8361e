-- An independent LSP client: Neovim's own (0.7+ API, as in Debian 12).
-- Attaches `gochallenge serve` to one file, saves it, waits for the
-- server's diagnostics and writes them, one JSON object per line, to
-- $GOCHALLENGE_OUT. Driven by neovim_test.go; every wait is bounded.
local bin = os.getenv('GOCHALLENGE_BIN')
local root = os.getenv('GOCHALLENGE_WS')
local file = os.getenv('GOCHALLENGE_FILE')
local out = os.getenv('GOCHALLENGE_OUT')
local want_code = os.getenv('GOCHALLENGE_WANT_CODE')

local function finish(lines)
  vim.fn.writefile(lines, out)
  vim.cmd('qall!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'gochallenge',
  cmd = { bin, 'serve' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
})
if not id then
  return finish({ 'error: the client did not start' })
end
vim.lsp.buf_attach_client(buf, id)

local initialized = vim.wait(30000, function()
  local c = vim.lsp.get_client_by_id(id)
  return c ~= nil and c.initialized
end, 50)
if not initialized then
  return finish({ 'error: no initialize reply within 30 s' })
end

vim.cmd('write')

local function wanted()
  for _, d in ipairs(vim.diagnostic.get()) do
    if d.source == 'gochallenge' and d.code == want_code then
      return true
    end
  end
  return false
end
local got = vim.wait(180000, wanted, 100)

local lines = {}
if not got then
  table.insert(lines, 'error: no ' .. want_code .. ' diagnostic within 180 s')
end
for _, d in ipairs(vim.diagnostic.get()) do
  table.insert(lines, vim.fn.json_encode({
    file = vim.api.nvim_buf_get_name(d.bufnr),
    bufnr = d.bufnr, namespace = d.namespace,
    line = d.lnum + 1,
    code = d.code,
    source = d.source,
    message = d.message,
  }))
end

-- A graceful stop: shutdown, then exit; the server process must end.
vim.lsp.stop_client(id)
local stopped = vim.wait(10000, function() return vim.lsp.client_is_stopped(id) end, 50)
if not stopped then
  table.insert(lines, 'error: the server did not stop after shutdown/exit')
end
finish(lines)
