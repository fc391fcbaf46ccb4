// The pages themselves, run under Node against the live server: taps and inputs go in
// as WeChat would send them, and what the user sees is the page's data afterwards.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const { API_BASE, client, idNumber, resident, staff } = require('./helpers');
const { event, openComponent, openPage } = require('./page_harness');

const PHOTO = process.env.PHOTO;

test('login page: WeChat login, then 实名认证, then home', async () => {
  const { api, wx } = client();
  wx.nextLoginCode = 'code-page-login-601';
  const page = openPage('pages/login/login', { api, wx });
  page.onShow();
  await page.wechatLogin();
  assert.equal(page.data.needsRealName, true);
  assert.deepEqual(wx.navigations, []);

  page.onInput(event({ value: '陈桂芳' }, { field: 'realName.name' }));
  page.onInput(event({ value: '110105' }, { field: 'realName.id_number' }));
  await page.verify();
  assert.match(page.data.errors.id_number, /[\u4e00-\u9fff]/); // shown beside the field
  assert.deepEqual(wx.navigations, []);

  page.onInput(event({ value: idNumber('1958-12-12', 601) }, { field: 'realName.id_number' }));
  await page.verify();
  assert.deepEqual(page.data.errors, {});
  assert.deepEqual(wx.navigations, [['switchTab', '/pages/home/home']]);
});

test('home page: 长辈模式 is remembered, and an officer sees the report service', async () => {
  const { api, wx } = await staff('officer0101');
  const page = openPage('pages/home/home', { api, wx });
  page.onShow();
  assert.equal(page.data.elder, false);
  assert.equal(page.data.user.role, '灾害信息员');
  const disaster = page.data.services.find((service) => service.key === 'disaster');
  assert.deepEqual(disaster.links.map((link) => link.text), ['报送灾情', '随手拍报灾']);
  page.toggleElder(event({ value: true }));
  const again = openPage('pages/home/home', { api, wx });
  again.onShow();
  assert.equal(again.data.elder, true);
  again.open(event({}, { url: '/pages/cases/cases' }));
  again.open(event({}, { url: '/pages/dibao-check/dibao-check' }));
  assert.deepEqual(wx.navigations, [
    ['switchTab', '/pages/cases/cases'],
    ['navigateTo', '/pages/dibao-check/dibao-check'],
  ]);
});

test('a signed-out user opening my cases is sent to login', async () => {
  const { api, wx } = client();
  openPage('pages/cases/cases', { api, wx }).onShow();
  assert.deepEqual(wx.navigations, [['navigateTo', '/pages/login/login']]);
});

test('dibao pages: an empty form shows the server\'s field errors; a full one leads to materials, upload and submit', async () => {
  const person = await resident({ serial: 603, birth: '1962-02-02', name: '刘德胜' });
  const { api, wx } = person;
  const form = openPage('pages/dibao-apply/dibao-apply', { api, wx });
  form.onLoad();
  form.onShow();
  await form.save();
  assert.equal(form.data.errors.region_code, '区划代码应为12位数字');
  assert.match(wx.toasts[0], /[\u4e00-\u9fff]/);

  form.onInput(event({ value: person.name }, { field: 'name' }));
  form.onInput(event({ value: person.idNumber }, { field: 'id_number' }));
  form.onInput(event({ value: '80' }, { field: 'monthly_income' }));
  form.chooseRegion(event({ code: '990101002000', name: '二村' }));
  form.addMember();
  form.onMemberInput(event({ value: '刘小红' }, { index: 0, field: 'name' }));
  form.onMemberInput(event({ value: idNumber('2011-05-05', 604) }, { index: 0, field: 'id_number' }));
  form.chooseRelation(event({ value: 0 }, { index: 0 })); // 配偶
  form.chooseRelation(event({ value: 1 }, { index: 0 })); // 子女
  assert.equal(form.data.members[0].relationLabel, '子女');
  await form.save();
  const [kind, url] = wx.navigations[wx.navigations.length - 1];
  assert.equal(kind, 'redirectTo');
  const id = Number(/materials\?id=(\d+)$/.exec(url)[1]);

  const materials = openPage('pages/materials/materials', { api, wx });
  materials.onLoad({ id: String(id) });
  await materials.onShow();
  assert.equal(materials.data.view.statusLabel, '草稿(未提交)');
  materials.chooseKind(event({ value: 6 })); // 现场照片
  wx.pickedFiles = [PHOTO];
  await materials.send(PHOTO);
  assert.equal(materials.data.latest.statusLabel, '已收到');
  assert.deepEqual(materials.data.view.files.map((file) => file.kind), ['现场照片']);
  await materials.submit();
  assert.deepEqual(wx.navigations[wx.navigations.length - 1], ['redirectTo', `/pages/case/case?id=${id}`]);

  const progress = openPage('pages/case/case', { api, wx });
  progress.onLoad({ id: String(id) });
  await progress.onShow();
  assert.equal(progress.data.view.statusLabel, '已提交,待乡镇受理');
  assert.equal(progress.data.view.canWithdraw, true);
  await progress.withdraw(); // the modal is confirmed
  assert.equal(progress.data.view.statusLabel, '已撤回');
});

test('appointments page: the check-in QR is shown, then the booking cancelled', async () => {
  const groom = await resident({ serial: 605, birth: '1995-05-05', name: '黄磊' });
  const { api, wx } = groom;
  const booking = openPage('pages/marriage/marriage', { api, wx });
  booking.onShow();
  await booking.onLoad();
  assert.ok(booking.data.slots.length > 0);
  await booking.book();
  assert.equal(booking.data.errors.slot_id, '请选择预约时段');
  booking.chooseSlot(event({ value: booking.data.slots.findIndex((slot) => !slot.full) }));
  booking.onInput(event({ value: groom.name }, { field: 'partyA.name' }));
  booking.onInput(event({ value: groom.idNumber }, { field: 'partyA.id_number' }));
  booking.onInput(event({ value: '杨丽' }, { field: 'partyB.name' }));
  booking.onInput(event({ value: idNumber('1997-07-07', 606) }, { field: 'partyB.id_number' }));
  await booking.book();
  assert.deepEqual(booking.data.errors, {});
  assert.deepEqual(wx.navigations[wx.navigations.length - 1], ['switchTab', '/pages/appointments/appointments']);

  const mine = openPage('pages/appointments/appointments', { api, wx });
  await mine.onShow();
  const [appointment] = mine.data.appointments;
  assert.equal(appointment.statusLabel, '已预约');
  await mine.showQr(event({}, { id: appointment.id, code: appointment.checkinCode }));
  assert.equal(mine.data.qr.code, appointment.checkinCode);
  assert.ok(mine.data.qr.path);
  await mine.cancel(event({}, { id: appointment.id }));
  assert.equal(mine.data.appointments[0].statusLabel, '已取消');
});

test('self-check page: incomes typed in give the server\'s estimate; a member can be removed', async () => {
  const { api, wx } = client();
  const page = openPage('pages/dibao-check/dibao-check', { api, wx });
  page.onShow();
  page.addMember();
  page.onIncome(event({ value: '200' }, { index: 0 }));
  page.onIncome(event({ value: 'abc' }, { index: 1 }));
  await page.check();
  assert.equal(page.data.result, null);
  assert.match(page.data.errors['members.1.monthly_income'], /[\u4e00-\u9fff]/);
  page.removeMember(event({}, { index: 1 }));
  await page.check();
  assert.equal(page.data.result.eligible, true);
  assert.match(page.data.result.verdict, /可能符合条件/);
  page.apply();
  assert.deepEqual(wx.navigations, [['navigateTo', '/pages/dibao-apply/dibao-apply']]);
});

test('region picker: townships of the county, then the villages of the one chosen', async () => {
  const { api, wx } = client();
  const picker = openComponent('components/region-picker/region-picker', { api, wx });
  await picker.attached();
  assert.deepEqual(picker.data.townships.map((region) => region.name), ['城关镇', '河口乡', '山前乡']);
  await picker.chooseTownship(event({ value: 1 }));
  assert.equal(picker.data.villages.length, 3);
  picker.chooseVillage(event({ value: 0 }));
  assert.deepEqual(picker.events[picker.events.length - 1], ['change', { code: '990102001000', name: picker.data.villages[0].name }]);
});

test('elderly form, my cases and the inbox pages: saved, listed, and the message opens the case', async () => {
  const person = await resident({ serial: 607, birth: '1929-09-09', name: '林阿婆' });
  const { api, wx } = person;
  const form = openPage('pages/elderly-apply/elderly-apply', { api, wx });
  form.onLoad();
  assert.equal(form.data.agent, false);
  form.onInput(event({ value: person.name }, { field: 'name' }));
  form.onInput(event({ value: person.idNumber }, { field: 'id_number' }));
  form.chooseRegion(event({ code: '990103001000', name: '' }));
  await form.save();
  const id = Number(/id=(\d+)$/.exec(wx.navigations[wx.navigations.length - 1][1])[1]);

  const materials = openPage('pages/materials/materials', { api, wx });
  materials.onLoad({ id: String(id) });
  await materials.onShow();
  await materials.submit();

  const cases = openPage('pages/cases/cases', { api, wx });
  await cases.onShow();
  assert.deepEqual(cases.data.cases.map((item) => [item.id, item.program, item.statusLabel]), [
    [id, '高龄津贴申请', '已提交,待乡镇受理'],
  ]);

  const inbox = openPage('pages/inbox/inbox', { api, wx });
  await inbox.onShow();
  assert.equal(inbox.data.unread, 1);
  assert.equal(inbox.data.items[0].title, '申请已提交');
  await inbox.open(event({}, { index: 0 }));
  assert.equal(inbox.data.items[0].read, true);
  assert.equal(inbox.data.unread, 0);
  assert.deepEqual(wx.navigations[wx.navigations.length - 1], ['navigateTo', `/pages/case/case?id=${id}`]);
});

test('app launch: what waited offline is sent at once when the phone has network, and the user told', async () => {
  const { api, wx } = await staff('agent0101');
  wx.setOnline(false);
  const body = { type: 'elderly_allowance', region_code: '990101001000', applicant: { name: '许大爷', id_number: idNumber('1930-10-10', 609) }, on_behalf: true };
  assert.equal((await api.submit('/applications', body, { label: '高龄津贴申请' })).sent, false);
  wx.setOnline(true);

  const config = require('../config');
  const saved = config.apiBase;
  config.apiBase = API_BASE; // the deployment's one setting, pointed at the test server
  let app = null;
  global.App = (definition) => {
    app = definition;
  };
  global.wx = wx;
  let told = null;
  try {
    require('../app');
    const tell = app.tellFlushed;
    told = new Promise((resolve) => {
      app.tellFlushed = (result) => {
        tell.call(app, result);
        resolve(result);
      };
    });
    app.onLaunch();
  } finally {
    config.apiBase = saved;
  }
  const result = await told;
  assert.deepEqual(wx.toasts, ['已补发1项']);
  assert.deepEqual(app.api.outbox(), []);
  const sent = await api.get(`/applications/${result.sent[0].body.id}`);
  assert.equal(sent.type, 'elderly_allowance');
  assert.equal(sent.status, 'draft');
});
