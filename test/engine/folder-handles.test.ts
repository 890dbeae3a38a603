/**
 * The folders' kept handles (plugins/engine/folder-handles.ts), on real
 * folders, seen through /proc/self/fd: a folder deleted and made again gets a
 * new handle (the fsync covers the folder now at the path, not the deleted
 * one), a symlink in its place is refused, forget() and the cap close handles.
 */
import { readdirSync, readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { FolderHandles } from '../../plugins/engine/folder-handles'

/** What this process's open descriptors point at that lie under `root`. */
function openUnder (root: string): string[] {
  const found: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      if (target.startsWith(root)) found.push(target)
    } catch {} // the descriptor readdir itself used, closed by now
  }
  return found.sort()
}

async function root (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-folder-handles-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** A fresh root holding one folder, `items`, and handles closed when the test ends. */
async function items (t: Test): Promise<{ base: string, dir: string, handles: FolderHandles }> {
  const base = await root(t)
  const dir = join(base, 'items')
  await mkdir(dir)
  const handles = new FolderHandles()
  t.teardown(async () => { await handles.closeAll() })
  return { base, dir, handles }
}

t.test('one handle per folder, kept across fsyncs', async (t) => {
  const { base, dir, handles } = await items(t)
  await handles.sync(dir)
  await handles.sync(dir)
  await Promise.all([handles.sync(dir), handles.sync(dir)])
  t.same(openUnder(base), [dir])
  t.equal(handles.size, 1)
})

t.test('a folder deleted and made again at the path gets a new handle; the old one is closed', async (t) => {
  const { base, dir, handles } = await items(t)
  await handles.sync(dir)
  await rm(dir, { recursive: true })
  await mkdir(dir)
  t.same(openUnder(base), [`${dir} (deleted)`], 'until the next fsync, the handle holds the deleted folder')
  await handles.sync(dir)
  t.same(openUnder(base), [dir], 'the fsync went to the folder now at the path')
})

t.test('a symlink put where the folder was is refused, not followed', async (t) => {
  const { base, dir, handles } = await items(t)
  const elsewhere = join(base, 'elsewhere')
  await mkdir(elsewhere)
  await handles.sync(dir)
  await rm(dir, { recursive: true })
  await symlink(elsewhere, dir)
  await t.rejects(handles.sync(dir), { code: 'ENOTDIR' }, 'O_DIRECTORY | O_NOFOLLOW on a symlink')
  t.same(openUnder(base), [], 'no handle is left open, to the old folder or through the link')
})

t.test('a folder that is gone rejects its fsync', async (t) => {
  const base = await root(t)
  const handles = new FolderHandles()
  await t.rejects(handles.sync(join(base, 'missing')), { code: 'ENOENT' })
  t.equal(handles.size, 0)
})

t.test('forget() closes the handle of a folder about to be removed', async (t) => {
  const { base, dir, handles } = await items(t)
  await handles.sync(dir)
  await handles.forget(dir)
  t.same(openUnder(base), [])
  t.equal(handles.size, 0)
})

t.test('at most 64 folders keep a handle; closeAll() closes them all', async (t) => {
  const base = await root(t)
  const handles = new FolderHandles()
  for (let i = 0; i < 70; i++) {
    const dir = join(base, `c${String(i).padStart(2, '0')}`)
    await mkdir(dir)
    await handles.sync(dir)
  }
  t.equal(handles.size, 64)
  t.equal(openUnder(base).length, 64)
  t.notOk(openUnder(base).includes(join(base, 'c00')), 'the least recently opened went first')
  await handles.closeAll()
  t.same(openUnder(base), [])
})
