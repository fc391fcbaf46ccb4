// 婚姻登记预约 from the mini program: a resident books a half-day for both parties,
// shows the check-in QR, and cancels.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { test } = require('node:test');

const marriage = require('../logic/marriage');
const { idNumber, resident } = require('./helpers');

// The 17th digit of an identity number is odd for a man, even for a woman.
async function groomAndBride(serial) {
  const groom = await resident({ serial, birth: '1996-04-01', name: '张伟' });
  const bride = { name: '李娜', id_number: idNumber('1998-09-09', serial + 1), phone: '13900000002' };
  return { groom, bride };
}

async function firstOpenSlot(api) {
  const [office] = await marriage.offices(api);
  const slots = await marriage.slots(api, office.id, 'marriage');
  const slot = slots.find((candidate) => !candidate.full);
  assert.ok(slot, 'the demo county has open slots next month');
  return { office, slot };
}

test('a resident books a marriage registration, shows the QR, then cancels', async () => {
  const { groom, bride } = await groomAndBride(201);
  const { api, wx } = groom;
  const { office, slot } = await firstOpenSlot(api);
  assert.match(slot.text, /^\d{4}-\d{2}-\d{2} (上午|下午) 余\d+个$/);

  const outcome = await marriage.book(api, {
    slotId: slot.id,
    service: 'marriage',
    partyA: { name: groom.name, id_number: groom.idNumber, phone: '13900000001' },
    partyB: bride,
  });
  assert.deepEqual(outcome.errors, {});
  assert.equal(outcome.appointment.statusLabel, '已预约');
  assert.equal(outcome.appointment.office, office.name);
  assert.match(outcome.appointment.checkinCode, /\S/);
  assert.deepEqual(wx.calls.requestSubscribeMessage, [['tmpl-appointment']]);
  const booking = wx.sent.find((request) => request.url.endsWith('/appointments') && request.method === 'POST');
  assert.match(booking.header['Idempotency-Key'], /^mp-/);

  const [mine] = await marriage.mine(api);
  assert.equal(mine.id, outcome.appointment.id);
  assert.equal(mine.canCancel, true);

  const qr = await marriage.checkinQr(api, mine.id);
  assert.deepEqual([...fs.readFileSync(qr).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]); // PNG

  const cancelled = await marriage.cancel(api, mine.id);
  assert.equal(cancelled.appointment.statusLabel, '已取消');
  const [after] = await marriage.mine(api);
  assert.equal(after.canCancel, false);
  const { slot: again } = await firstOpenSlot(api);
  assert.equal(again.id, slot.id); // the place went back to the slot
});

test('booking the same couple twice is refused with a Chinese message', async () => {
  const { groom, bride } = await groomAndBride(203);
  const { slot } = await firstOpenSlot(groom.api);
  const form = {
    slotId: slot.id,
    service: 'marriage',
    partyA: { name: groom.name, id_number: groom.idNumber },
    partyB: bride,
  };
  assert.ok((await marriage.book(groom.api, form)).appointment);
  const twice = await marriage.book(groom.api, form);
  assert.equal(twice.code, 'duplicate_booking');
  assert.match(twice.message, /[\u4e00-\u9fff]/);
});

test('a resident must book as party A themself; the field is named', async () => {
  const { groom, bride } = await groomAndBride(205);
  const { slot } = await firstOpenSlot(groom.api);
  const outcome = await marriage.book(groom.api, {
    slotId: slot.id,
    service: 'marriage',
    partyA: { name: '别人', id_number: idNumber('1990-01-01', 207) },
    partyB: bride,
  });
  assert.equal(outcome.errors['party_a.id_number'], '本人预约时,甲方应为本人');
});
