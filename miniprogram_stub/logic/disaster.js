// 灾情: a resident's 随手拍 (what, where, photos) and a disaster officer's statistical
// report (初报/续报/核报) for their village. Photos go up one per request to
// /disaster-photos and are named by id; without network the whole piece of work waits
// in the outbox, photos included.

const { fieldErrors } = require('../utils/api');
const { promisify } = require('../utils/wx_promise');
const labels = require('./labels');

const PHOTOS_PATH = '/disaster-photos';
// Hectares and 10,000 yuan may have decimals (sent as strings); the rest are whole counts.
const MEASURES = new Set(['crop_affected_ha', 'crop_disaster_ha', 'crop_failure_ha', 'direct_loss_10k_yuan']);
const REPORT_KINDS = ['initial', 'update', 'final'].map((kind) => ({ kind, label: labels.REPORT_KIND[kind] }));

// The phone's position (WGS-84, as GPS gives it), or null if the user said no.
async function locate(wx) {
  try {
    const { latitude, longitude } = await promisify(wx, 'getLocation')({ type: 'wgs84' });
    return { lat: Number(latitude.toFixed(6)), lon: Number(longitude.toFixed(6)) };
  } catch (error) {
    return null;
  }
}

function outcomeOf(sent, queuedMessage) {
  if (!sent.sent) return { queued: true, message: queuedMessage, errors: {} };
  return { created: sent.body, errors: {} };
}

async function sendTip(api, { description, location, photos = [] }) {
  await api.askConsent('disaster');
  const body = { description: String(description || '').trim() };
  if (location) Object.assign(body, { lat: location.lat, lon: location.lon });
  try {
    const sent = await api.submit('/disaster-tips', body, { label: '随手拍', files: photos, filesPath: PHOTOS_PATH });
    return outcomeOf(sent, '网络不通,随手拍已保存在手机上,联网后自动发送');
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

function tipView(tip) {
  return {
    id: tip.id,
    description: tip.description,
    status: tip.status,
    statusLabel: labels.label(labels.TIP_STATUS, tip.status),
    region: tip.region_name || '',
    event: tip.event_name || '',
    reason: tip.review_reason || '',
    at: (tip.created_at || '').replace('T', ' ').slice(0, 16),
    photos: (tip.photos || []).length,
  };
}

async function myTips(api) {
  return (await api.get('/disaster-tips?limit=20')).items.map(tipView);
}

async function openEvents(api) {
  const body = await api.get('/disaster-events?limit=50');
  return body.items
    .filter((event) => event.status === 'open')
    .map((event) => ({ id: event.id, name: event.name, type: event.type_label || event.type, text: `${event.name}(${event.type_label || event.type})` }));
}

function emptyIndicators() {
  return labels.INDICATORS.map((indicator) => ({ ...indicator, value: '' }));
}

// Counts as JSON whole numbers, measures as strings; a blank field is left out (the
// server keeps the last figure) and anything not a number goes as typed, for the server
// to name.
function indicatorsBody(rows) {
  const out = {};
  rows.forEach(({ key, value }) => {
    const text = String(value === undefined || value === null ? '' : value).trim();
    if (!text) return;
    if (MEASURES.has(key)) out[key] = text;
    else out[key] = /^-?\d+$/.test(text) ? Number(text) : text;
  });
  return out;
}

function reportBody({ regionCode, kind, occurredAt, indicators, note }) {
  return {
    region_code: regionCode,
    kind,
    occurred_at: occurredAt,
    indicators: indicatorsBody(indicators),
    note: String(note || '').trim(),
  };
}

async function sendReport(api, eventId, form, photos = []) {
  await api.askConsent('disaster');
  try {
    const label = `灾情${labels.label(labels.REPORT_KIND, form.kind)}`;
    const sent = await api.submit(`/disaster-events/${eventId}/reports`, reportBody(form), {
      label,
      files: photos,
      filesPath: PHOTOS_PATH,
    });
    return outcomeOf(sent, '网络不通,报告已保存在手机上,联网后自动报送');
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

module.exports = {
  REPORT_KINDS,
  emptyIndicators,
  indicatorsBody,
  locate,
  myTips,
  openEvents,
  reportBody,
  sendReport,
  sendTip,
  tipView,
};
