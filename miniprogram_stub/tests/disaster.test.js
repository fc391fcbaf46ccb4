// 灾情 from the mini program: a resident's 随手拍 with a photo and the phone's position,
// an officer's 初报 for their village with a photo, and a tip sent once after the
// network came back.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { test } = require('node:test');

const disaster = require('../logic/disaster');
const materials = require('../logic/materials');
const { resident, staff } = require('./helpers');
const { event, openPage } = require('./page_harness');

const PHOTO = process.env.PHOTO;

async function openEvent() {
  const { api } = await staff('county01');
  return api.create('/disaster-events', {
    type: 'flood',
    name: `小程序测试洪涝${Date.now()}`,
    started_at: new Date(Date.now() - 3600 * 1000).toISOString(),
    region_codes: ['990101000000'],
  });
}

async function photosSettled(api, attachmentIds) {
  return Promise.all(attachmentIds.map((id) => materials.settle(api, id, { intervalMs: 200, tries: 300 })));
}

test('a resident sends a 随手拍 with a photo and their position', async () => {
  const person = await resident({ serial: 501, birth: '1975-08-08', name: '孙建国' });
  const { api, wx } = person;
  const location = await disaster.locate(wx);
  assert.deepEqual(location, { lat: 30.2741, lon: 120.1551 });

  const outcome = await disaster.sendTip(api, { description: ' 村口石桥被冲垮,两户房屋进水 ', location, photos: [PHOTO] });
  assert.deepEqual(outcome.errors, {});
  const tip = outcome.created;
  assert.equal(tip.status, 'pending');
  assert.equal(tip.description, '村口石桥被冲垮,两户房屋进水');
  assert.equal(tip.lat, 30.2741);
  assert.equal(tip.lon, 120.1551);
  assert.equal(tip.photos.length, 1);
  assert.deepEqual(wx.calls.requestSubscribeMessage, [['tmpl-disaster']]);
  assert.deepEqual(wx.calls.compressImage.map((call) => call.src), [PHOTO]);

  const photoUpload = wx.sent.find((request) => request.api === 'uploadFile');
  assert.ok(photoUpload.url.endsWith('/disaster-photos'));
  assert.equal(photoUpload.name, 'file');
  const tipPost = wx.sent.find((request) => request.url.endsWith('/disaster-tips') && request.method === 'POST');
  assert.deepEqual(tipPost.data.photo_ids, [tip.photos[0].id]);
  assert.match(tipPost.header['Idempotency-Key'], /^mp-/);

  const [checked] = await photosSettled(api, [tip.photos[0].id]);
  assert.equal(checked.status, 'ready', checked.reason);
  const [mine] = await disaster.myTips(api);
  assert.equal(mine.id, tip.id);
  assert.equal(mine.statusLabel, '待核实');
});

test('a tip without a description is refused on that field, in Chinese', async () => {
  const person = await resident({ serial: 503, birth: '1975-08-08', name: '孙建军' });
  const outcome = await disaster.sendTip(person.api, { description: '   ' });
  assert.equal(outcome.created, undefined);
  assert.match(outcome.errors.description, /[\u4e00-\u9fff]/);
});

test('a tip with its photo made offline is sent once, photo and all, when the network returns', async () => {
  const person = await resident({ serial: 505, birth: '1980-01-01', name: '冯秀兰' });
  const { api, wx } = person;
  const flushed = new Promise((resolve) => api.watchNetwork(resolve));
  wx.setOnline(false);
  const outcome = await disaster.sendTip(api, { description: '山体滑坡堵住了进村道路', photos: [PHOTO] });
  assert.equal(outcome.queued, true);
  const [waiting] = api.outbox();
  assert.notEqual(waiting.files[0], PHOTO); // saved out of WeChat's temporary files

  wx.setOnline(true);
  const result = await flushed;
  assert.equal(result.sent.length, 1);
  assert.equal(result.sent[0].body.photos.length, 1);
  const tips = await disaster.myTips(api);
  assert.deepEqual(tips.map((tip) => tip.description), ['山体滑坡堵住了进村道路']);
  const reachedPosts = wx.sent.filter((request) => request.reached && request.url.endsWith('/disaster-tips') && request.method === 'POST');
  assert.equal(reachedPosts.length, 1);
});

test('a photo that arrived before the line dropped is not sent again: the report names it', async () => {
  const opened = await openEvent();
  const { api, wx } = await staff('officer0101');
  const flushed = new Promise((resolve) => api.watchNetwork(resolve));
  wx.offlineAfter(1); // the photo arrives, then the network is gone
  const outcome = await disaster.sendReport(
    api,
    opened.id,
    { regionCode: '990101001000', kind: 'initial', occurredAt: new Date().toISOString(), indicators: [] },
    [PHOTO],
  );
  assert.equal(outcome.queued, true);
  const [waiting] = api.outbox();
  assert.equal(waiting.fileIds.length, 1);

  wx.setOnline(true);
  const result = await flushed;
  assert.deepEqual(result.sent[0].body.photos.map((photo) => photo.id), waiting.fileIds);
  assert.equal(wx.sent.filter((request) => request.api === 'uploadFile' && request.reached).length, 1);
  assert.equal(fs.existsSync(waiting.files[0]), false); // the saved copy is freed
});

test('a disaster officer sends the 初报 of an open event for their village, with a photo', async () => {
  const event = await openEvent();
  const { api, wx } = await staff('officer0101');
  const events = await disaster.openEvents(api);
  const listed = events.find((candidate) => candidate.id === event.id);
  assert.ok(listed, 'the officer sees the open event');
  assert.match(listed.text, /洪涝/);

  const indicators = disaster.emptyIndicators().map((row) => {
    const values = { affected_population: '120', relocated: ' 35 ', collapsed_rooms: '2', direct_loss_10k_yuan: '12.5' };
    return { ...row, value: values[row.key] || '' };
  });
  const user = api.currentUser();
  const outcome = await disaster.sendReport(
    api,
    event.id,
    {
      regionCode: user.region.code,
      kind: 'initial',
      occurredAt: new Date(Date.now() - 600 * 1000).toISOString(),
      indicators,
      note: '河水漫堤,已转移沿河群众',
    },
    [PHOTO],
  );
  assert.deepEqual(outcome.errors, {});
  const report = outcome.created;
  assert.equal(report.kind, 'initial');
  assert.equal(report.region_code, '990101001000');
  assert.equal(report.indicators.affected_population, 120);
  assert.equal(report.indicators.relocated, 35);
  assert.equal(report.indicators.direct_loss_10k_yuan, '12.50');
  assert.equal(report.photos.length, 1);
  const post = wx.sent.find((request) => request.url.endsWith(`/disaster-events/${event.id}/reports`));
  assert.deepEqual(post.data.indicators, { affected_population: 120, relocated: 35, collapsed_rooms: 2, direct_loss_10k_yuan: '12.5' });
});

test('a figure that is not a whole number comes back on that indicator, in Chinese', async () => {
  const event = await openEvent();
  const { api } = await staff('officer0101');
  const indicators = disaster.emptyIndicators().map((row) => ({ ...row, value: row.key === 'deaths' ? '1.5' : '' }));
  const outcome = await disaster.sendReport(api, event.id, {
    regionCode: '990101001000',
    kind: 'initial',
    occurredAt: new Date().toISOString(),
    indicators,
  });
  assert.equal(outcome.created, undefined);
  assert.match(outcome.errors['indicators.deaths'], /[\u4e00-\u9fff]/);
});

test('disaster tip page: description, position and a photo go out in one tap', async () => {
  const person = await resident({ serial: 507, birth: '1968-03-03', name: '何春花' });
  const { api, wx } = person;
  const page = openPage('pages/disaster-tip/disaster-tip', { api, wx });
  await page.onShow();
  assert.deepEqual(page.data.tips, []);
  page.onInput(event({ value: '后山有裂缝,坡下三户需要转移' }));
  await page.locate();
  wx.pickedFiles = [PHOTO];
  page.addPhoto();
  assert.deepEqual(page.data.photos, [PHOTO]);
  await page.send();
  assert.deepEqual(wx.modals.map((modal) => modal.title), ['已发送']);
  assert.deepEqual(page.data.photos, []);
  assert.equal(page.data.tips[0].description, '后山有裂缝,坡下三户需要转移');
  assert.equal(page.data.tips[0].photos, 1);
});

test('officer report page: an open event, figures typed in, reported for the officer\'s village', async () => {
  const opened = await openEvent();
  const { api, wx } = await staff('officer0101');
  const page = openPage('pages/disaster-report/disaster-report', { api, wx });
  page.onShow();
  await page.onLoad();
  assert.equal(page.data.region.code, '990101001000');
  page.chooseEvent(event({ value: page.data.events.findIndex((candidate) => candidate.id === opened.id) }));
  const at = (key) => page.data.indicators.findIndex((row) => row.key === key);
  page.onIndicator(event({ value: '40' }, { index: at('affected_population') }));
  page.onIndicator(event({ value: '-3' }, { index: at('relocated') }));
  await page.send();
  assert.match(page.data.errors['indicators.relocated'], /[\u4e00-\u9fff]/);
  page.onIndicator(event({ value: '3' }, { index: at('relocated') }));
  page.onNote(event({ value: '三户转移至村委会' }));
  await page.send();
  assert.deepEqual(page.data.errors, {});
  assert.deepEqual(wx.modals.map((modal) => modal.title), ['已报送']);
});
