-- Headless Neovim (0.7+) as an LSP client of Session Lint: the setup a user writes, plus a
-- script that waits for diagnostics, applies the move-to-env quick fix and writes the results.
local root = vim.env.SL_ROOT
local out = vim.env.SL_OUT
local client_id = vim.lsp.start_client({
  name = 'sessionlint',
  cmd = { 'node', vim.env.SL_SERVER, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
})
vim.api.nvim_create_autocmd('BufEnter', {
  callback = function(args)
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

local function report(result)
  local file = io.open(out, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function codes()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(list, { code = d.code, line = d.lnum, col = d.col })
  end
  return list
end

vim.defer_fn(function()
  local ok, err = pcall(function()
    vim.lsp.buf_attach_client(0, client_id)
    assert(vim.wait(30000, function() return #vim.diagnostic.get(0) >= 3 end, 50), 'no diagnostics')
    local before = codes()
    -- The development key: SL101 on line 12 (0-based 11).
    local target
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if d.code == 'SL101' and d.lnum == 11 then target = d end
    end
    assert(target, 'no SL101 on line 12')
    vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
    local params = vim.lsp.util.make_range_params()
    params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics() }
    local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000)
    local titles, chosen = {}, nil
    for _, response in pairs(responses or {}) do
      for _, action in ipairs(response.result or {}) do
        table.insert(titles, action.title)
        if not chosen and action.title:find('^Move the secret') then chosen = action end
      end
    end
    assert(chosen, 'no move-to-env action')
    vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
    vim.cmd('silent! wall')
    assert(vim.wait(30000, function()
      for _, d in ipairs(vim.diagnostic.get(0)) do
        if d.code == 'SL101' and d.lnum == 11 then return false end
      end
      return true
    end, 50), 'the SL101 finding did not go away')
    report({ before = before, titles = titles, after = codes() })
  end)
  if not ok then report({ error = tostring(err) }) end
  vim.cmd('qa!')
end, 100)
