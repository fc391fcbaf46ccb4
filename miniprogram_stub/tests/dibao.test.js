// A resident's 低保 application from the mini program: the household, a photo checked by
// the real worker until `ready`, submission, and the case's progress.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const applications = require('../logic/applications');
const materials = require('../logic/materials');
const { idNumber, resident } = require('./helpers');

const PHOTO = process.env.PHOTO;
const VILLAGE = '990101001000';

function form(person) {
  return {
    name: person.name,
    id_number: person.idNumber,
    phone: '13800001111',
    monthly_income: '120',
    area_type: 'rural',
    region_code: VILLAGE,
    on_behalf: false,
  };
}

const child = { name: '王小明', id_number: idNumber('2012-03-03', 102), relation: 'child', monthly_income: '0' };

test('a 低保 application with a photo: saved, photo checked to ready, submitted, progress shown', async () => {
  const person = await resident({ serial: 101 });
  const { api, wx } = person;

  const opened = await applications.open(api, applications.dibaoBody(form(person), [child]));
  assert.deepEqual(opened.errors, {});
  const { application } = opened;
  assert.equal(application.status, 'draft');
  assert.equal(application.household.members.length, 2);
  assert.deepEqual(wx.calls.requestSubscribeMessage, [['tmpl-case']]);
  const created = wx.sent.find((request) => request.url.endsWith('/applications'));
  assert.match(created.header['Idempotency-Key'], /^mp-/);

  const uploaded = await materials.upload(api, application.id, 'photo', PHOTO);
  assert.equal(uploaded.file.kind, '现场照片');
  assert.deepEqual(wx.calls.compressImage.map((call) => call.src), [PHOTO]);
  const sentFile = wx.sent.find((request) => request.api === 'uploadFile');
  assert.equal(sentFile.name, 'file');
  assert.notEqual(sentFile.filePath, PHOTO); // the compressed copy went up
  assert.match(sentFile.header['Idempotency-Key'], /^mp-/);

  const checked = await materials.settle(api, uploaded.file.id, { intervalMs: 200, tries: 300 });
  assert.equal(checked.status, 'ready', checked.reason);
  assert.equal(checked.statusLabel, '已收到');

  let view = await applications.progress(api, application.id);
  assert.deepEqual(view.files.map((file) => [file.kind, file.status]), [['现场照片', '已收到']]);
  assert.equal(view.canSubmit, true);
  assert.equal(view.submitAction, 'submit');

  const submitted = await applications.act(api, view, view.submitAction);
  assert.equal(submitted.application.status, 'submitted');
  view = await applications.progress(api, application.id);
  assert.equal(view.statusLabel, '已提交,待乡镇受理');
  assert.deepEqual(view.steps.map((step) => [step.title, step.who]), [
    ['保存申请', '申请人'],
    ['提交申请', '申请人'],
  ]);
  assert.equal(view.canSubmit, false);

  const mine = await applications.mine(api);
  assert.deepEqual(mine.map((item) => [item.number, item.program]), [[application.number, '低保申请']]);
});

test('a bad household member identity number comes back on that member, in Chinese', async () => {
  const person = await resident({ serial: 103 });
  const wrongChild = { ...child, id_number: '110105201203030000' };
  const outcome = await applications.open(person.api, applications.dibaoBody(form(person), [wrongChild]));
  assert.equal(outcome.application, undefined);
  assert.match(outcome.message, /[\u4e00-\u9fff]/);
  assert.match(outcome.errors['members.0.id_number'], /[\u4e00-\u9fff]/);
});

test('a resident may not apply under another person\'s identity number', async () => {
  const person = await resident({ serial: 104 });
  const outcome = await applications.open(
    person.api,
    applications.dibaoBody({ ...form(person), id_number: idNumber('1960-05-01', 105) }, []),
  );
  assert.equal(outcome.errors['applicant.id_number'], '申请人身份证号与实名认证不一致');
});

test('a stale version when submitting is told in Chinese, not a crash', async () => {
  const person = await resident({ serial: 106 });
  const { application } = await applications.open(person.api, applications.dibaoBody(form(person), []));
  const outcome = await applications.act(person.api, { ...application, version: application.version + 5 }, 'submit');
  assert.equal(outcome.code, 'stale_version');
  assert.match(outcome.message, /[\u4e00-\u9fff]/);
});
