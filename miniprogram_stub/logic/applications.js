// 低保 and 高龄津贴 applications: build the body from the form, open the case (kept in the
// outbox when offline), submit it, follow its progress. The server decides everything;
// the forms only collect and show its field errors.

const { fieldErrors } = require('../utils/api');
const labels = require('./labels');

function emptyMember(relation = 'child') {
  return { name: '', id_number: '', relation, monthly_income: '0' };
}

function trimmed(value) {
  return String(value || '').trim();
}

function applicantOf(form) {
  const applicant = { name: trimmed(form.name), id_number: trimmed(form.id_number) };
  if (trimmed(form.phone)) applicant.phone = trimmed(form.phone);
  return applicant;
}

// 按户施保: the applicant is the household's `self` member, the others follow.
function dibaoBody(form, others) {
  const applicant = applicantOf(form);
  const self = {
    name: applicant.name,
    id_number: applicant.id_number,
    relation: 'self',
    monthly_income: trimmed(form.monthly_income) || '0',
  };
  const members = others.map((member) => ({
    name: trimmed(member.name),
    id_number: trimmed(member.id_number),
    relation: member.relation,
    monthly_income: trimmed(member.monthly_income) || '0',
  }));
  return {
    type: 'dibao',
    region_code: form.region_code,
    applicant,
    household: { area_type: form.area_type, members: [self, ...members] },
    on_behalf: Boolean(form.on_behalf),
  };
}

function elderlyBody(form) {
  return {
    type: 'elderly_allowance',
    region_code: form.region_code,
    applicant: applicantOf(form),
    on_behalf: Boolean(form.on_behalf),
  };
}

// Server field names point into the body; a household member `household.members.2.name`
// is the form's `members.1.name` (the applicant is member 0 on the server).
function formErrors(error) {
  const out = {};
  Object.entries(fieldErrors(error)).forEach(([field, message]) => {
    const member = /^household\.members\.(\d+)\.(.+)$/.exec(field);
    if (member && member[1] === '0') out[`applicant.${member[2]}`] = message;
    else if (member) out[`members.${Number(member[1]) - 1}.${member[2]}`] = message;
    else out[field] = message;
  });
  return out;
}

// Open the case. Offline, it waits in the outbox and goes out on reconnect.
async function open(api, body) {
  await api.askConsent('case_progress');
  try {
    const outcome = await api.submit('/applications', body, { label: labels.label(labels.PROGRAM, body.type) });
    if (!outcome.sent) return { queued: true, errors: {}, message: '网络不通,已保存在手机上,联网后自动提交' };
    return { application: outcome.body, errors: {} };
  } catch (error) {
    return { errors: formErrors(error), message: error.message };
  }
}

async function act(api, application, action, comment = '') {
  try {
    const body = { action, version: application.version };
    if (comment) body.comment = comment;
    return { application: await api.act(`/applications/${application.id}/actions`, body) };
  } catch (error) {
    return { message: error.message, code: error.code };
  }
}

function summary(application) {
  return {
    id: application.id,
    number: application.number,
    program: labels.label(labels.PROGRAM, application.type),
    status: application.status,
    statusLabel: labels.label(labels.CASE_STATUS, application.status),
    region: application.region_name || '',
    createdAt: (application.created_at || '').slice(0, 10),
  };
}

async function mine(api) {
  const body = await api.get('/applications?limit=50');
  return body.items.map(summary);
}

// The case page: status, what the applicant may do now, the timeline and the files.
function progressView(application) {
  const allowed = application.allowed_actions || [];
  const sendable = allowed.includes('submit') || allowed.includes('resubmit');
  return {
    ...summary(application),
    version: application.version,
    deadline: application.deadline || '',
    monthlyAmount: application.monthly_amount || '',
    appeal: application.appeal || '',
    decisionReason: application.decision_reason || '',
    canSubmit: sendable,
    submitAction: allowed.includes('resubmit') ? 'resubmit' : 'submit',
    canWithdraw: allowed.includes('withdraw'),
    // Materials are asked for while something is missing or the case is still the
    // applicant's to send; the server refuses an upload it does not accept.
    canUpload: Boolean((application.missing_materials || []).length) || sendable,
    steps: (application.timeline || []).map((event) => ({
      title: labels.label(labels.ACTION, event.action),
      who: labels.label(labels.ROLE, event.actor_role),
      at: (event.at || '').replace('T', ' ').slice(0, 16),
      comment: event.comment || '',
    })),
    files: (application.attachments || []).map((file) => ({
      id: file.id,
      kind: file.kind_label || labels.label(labels.MATERIAL_KIND, file.kind),
      status: labels.label(labels.MATERIAL_STATUS, file.status),
      review: labels.label(labels.REVIEW_STATUS, file.review_status),
      reason: file.reason || file.review_comment || '',
    })),
    missing: (application.missing_materials || []).map((item) => item.label || item.kind).join('、'),
  };
}

async function progress(api, id) {
  return progressView(await api.get(`/applications/${id}`));
}

module.exports = {
  act,
  dibaoBody,
  elderlyBody,
  emptyMember,
  formErrors,
  mine,
  open,
  progress,
  progressView,
  summary,
};
