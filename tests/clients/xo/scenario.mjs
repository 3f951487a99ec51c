// What Xen Orchestra does with its `xen-api` client, run unmodified against a XenAPI server.
//
//   node scenario.mjs URL TRANSPORT USER PASSWORD TEMPLATE
//
// TRANSPORT is the client's own option: `json-rpc` or `xml-rpc`.  Connects, waits
// for the initial load of every object (the client lists the classes with
// system.listMethods and fetches each with get_all_records, then follows
// event.from), clones a template and starts and stops the copies through both
// `call` and `callAsync`, and waits for each change to arrive as an event in
// the client's object cache.  Prints one JSON line of what it saw; any error
// exits non-zero with the error on stderr.
import { createClient } from 'xen-api'

const [url, transport, user, password, templateName] = process.argv.slice(2)

const xapi = createClient({
  url,
  transport,
  auth: { user, password },
  allowUnauthorized: true,
  // 1 s between event.from polls instead of the default, so the run stays short
  debounce: 50,
})

// the object cache as the event loop keeps it: resolves when `predicate` holds for some object
function waitForObject(predicate, what) {
  const found = Object.values(xapi.objects.all).find(predicate)
  if (found !== undefined) return Promise.resolve(found)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event brought ' + what)), 60e3)
    const listener = objects => {
      for (const object of Object.values(objects)) {
        if (predicate(object)) {
          clearTimeout(timer)
          xapi.objects.removeListener('add', listener)
          xapi.objects.removeListener('update', listener)
          resolve(object)
          return
        }
      }
    }
    xapi.objects.on('add', listener)
    xapi.objects.on('update', listener)
  })
}

// removals are reported by id (the object's uuid), without the object
function waitForRemoval(id, what) {
  if (xapi.getObject(id, undefined) === undefined) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event removed ' + what)), 60e3)
    const listener = objects => {
      if (id in objects) {
        clearTimeout(timer)
        xapi.objects.removeListener('remove', listener)
        resolve()
      }
    }
    xapi.objects.on('remove', listener)
  })
}

const vmState = (ref, state) =>
  waitForObject(o => o.$type === 'VM' && o.$ref === ref && o.power_state === state, `VM ${ref} ${state}`)

const seen = { transport }
try {
  await xapi.connect()
  await xapi.objectsFetched
  if (xapi.watchEventsError !== undefined) throw xapi.watchEventsError

  const counts = {}
  for (const object of Object.values(xapi.objects.all)) {
    counts[object.$type] = (counts[object.$type] ?? 0) + 1
  }
  seen.counts = counts
  seen.poolMaster = xapi.pool.$master.name_label
  seen.controlDomain = xapi.pool.$master.$control_domain?.is_control_domain

  const template = Object.values(xapi.objects.all).find(
    o => o.$type === 'VM' && o.is_a_template && o.name_label === templateName
  )
  if (template === undefined) throw new Error('template not loaded: ' + templateName)

  // Xen Orchestra's VM creation: clone (callAsync), provision (callAsync), start (call)
  const first = await xapi.callAsync('VM.clone', template.$ref, 'xo-first')
  await xapi.callAsync('VM.provision', first)
  await xapi.call('VM.start', first, false, false)
  const running = await vmState(first, 'Running')
  seen.firstRunning = { is_a_template: running.is_a_template, resident_on: running.$resident_on?.name_label }

  // Xen Orchestra's stats: GET /rrd_updates through getResource, which makes a task and passes
  // its task_id; the data come once the collector has ticked (404 No_RRA_Available until then)
  let stats
  for (let attempt = 0; stats === undefined; attempt++) {
    try {
      const response = await xapi.getResource('/rrd_updates', {
        query: { cf: 'AVERAGE', host: 'true', interval: 5, json: 'true', start: Math.floor(Date.now() / 1000) - 600 },
      })
      const body = await response.body.json()
      await response.task // the task the client made completes
      stats = { legend: body.meta.legend, rows: body.data.length, task: response.task !== undefined }
    } catch (error) {
      if (attempt >= 30 || error.response?.statusCode !== 404) throw error
      await new Promise(resolve => setTimeout(resolve, 1000))
    }
  }
  seen.rrdUpdates = {
    task: stats.task,
    rows: stats.rows,
    hostColumns: stats.legend.some(e => e.startsWith(`AVERAGE:host:${xapi.pool.$master.uuid}:`)),
  }
  await xapi.callAsync('VM.clean_shutdown', first)
  await vmState(first, 'Halted')

  // the other way round: clone (call), start (callAsync), shutdown (call)
  const second = await xapi.call('VM.clone', first, 'xo-second')
  await xapi.callAsync('VM.start', second, false, false)
  await vmState(second, 'Running')
  await xapi.call('VM.hard_shutdown', second)
  await vmState(second, 'Halted')

  for (const ref of [first, second]) {
    const vm = xapi.getObjectByRef(ref)
    const vdis = vm.$VBDs.filter(vbd => vbd.type === 'Disk').map(vbd => vbd.VDI)
    await xapi.call('VM.destroy', ref)
    await waitForRemoval(vm.$id, 'VM ' + ref)
    for (const vdi of vdis) await xapi.call('VDI.destroy', vdi)
  }
  seen.done = true
  console.log(JSON.stringify(seen))
} catch (error) {
  console.error(transport, 'failed:', error)
  process.exitCode = 1
} finally {
  await xapi.disconnect()
}
