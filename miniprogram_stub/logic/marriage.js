// 婚姻登记预约: pick the office, a half-day with places left, and book; follow and cancel
// the appointment; show the check-in QR at the counter.

const { fieldErrors } = require('../utils/api');
const labels = require('./labels');

const SERVICES = ['marriage', 'divorce', 'divorce_certificate', 'reissue'].map((service) => ({
  service,
  label: labels.SERVICE[service],
}));

// Only a reissue (补领) is for one person; the others need both parties.
function needsPartyB(service) {
  return service !== 'reissue';
}

async function offices(api) {
  return (await api.get('/registry-offices?limit=100')).items;
}

function slotView(slot) {
  return {
    id: slot.id,
    date: slot.date,
    period: labels.label(labels.PERIOD, slot.period),
    remaining: slot.remaining,
    full: slot.remaining <= 0,
    text: `${slot.date} ${labels.label(labels.PERIOD, slot.period)} 余${slot.remaining}个`,
  };
}

async function slots(api, officeId, service, from, to) {
  const query = [`service=${service}`, 'limit=100'];
  if (from) query.push(`from=${from}`);
  if (to) query.push(`to=${to}`);
  const body = await api.get(`/registry-offices/${officeId}/slots?${query.join('&')}`);
  return body.items.map(slotView);
}

function party(form) {
  const out = { name: String(form.name || '').trim(), id_number: String(form.id_number || '').trim() };
  if (String(form.phone || '').trim()) out.phone = String(form.phone).trim();
  return out;
}

function bookingBody({ slotId, service, partyA, partyB }) {
  const body = { slot_id: slotId, service, party_a: party(partyA) };
  if (needsPartyB(service)) body.party_b = party(partyB);
  return body;
}

function appointmentView(appointment) {
  const slot = appointment.slot || {};
  return {
    id: appointment.id,
    status: appointment.status,
    statusLabel: labels.label(labels.APPOINTMENT_STATUS, appointment.status),
    service: labels.label(labels.SERVICE, appointment.service),
    office: slot.office_name || '',
    when: `${slot.date || ''} ${labels.label(labels.PERIOD, slot.period)} ${slot.starts_at || ''}-${slot.ends_at || ''}`,
    checkinCode: appointment.checkin_code || '',
    canCancel: appointment.status === 'booked',
  };
}

async function book(api, form) {
  await api.askConsent('appointment');
  try {
    return { appointment: appointmentView(await api.create('/appointments', bookingBody(form))), errors: {} };
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message, code: error.code };
  }
}

async function mine(api) {
  return (await api.get('/appointments?limit=50')).items.map(appointmentView);
}

async function cancel(api, id) {
  try {
    return { appointment: appointmentView(await api.act(`/appointments/${id}/cancel`)) };
  } catch (error) {
    return { message: error.message };
  }
}

// The QR is behind the sign-in: downloaded with the token to a local file for <image>.
function checkinQr(api, id) {
  return api.download(`/appointments/${id}/qr.png`);
}

module.exports = {
  SERVICES,
  appointmentView,
  book,
  bookingBody,
  cancel,
  checkinQr,
  mine,
  needsPartyB,
  offices,
  slots,
};
