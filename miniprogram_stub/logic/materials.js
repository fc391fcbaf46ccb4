// 申请材料: one photo or PDF per upload (compressed first by utils/api), then the server
// checks it in the background; the page polls until it is `ready` or `rejected`.

const labels = require('./labels');

const KINDS = ['id_card', 'hukou', 'income_proof', 'authorization', 'mandate', 'disability_cert', 'photo', 'other'].map(
  (kind) => ({ kind, label: labels.MATERIAL_KIND[kind] }),
);

const SETTLED = ['ready', 'rejected'];

function fileView(attachment) {
  return {
    id: attachment.id,
    kind: attachment.kind_label || labels.label(labels.MATERIAL_KIND, attachment.kind),
    status: attachment.status,
    statusLabel: labels.label(labels.MATERIAL_STATUS, attachment.status),
    reason: attachment.reason || '',
  };
}

async function upload(api, caseId, kind, filePath) {
  try {
    return { file: fileView(await api.upload(`/applications/${caseId}/attachments`, filePath, { kind })) };
  } catch (error) {
    return { message: error.message };
  }
}

// Ask again every `intervalMs` until the check is done, at most `tries` times.
async function settle(api, attachmentId, { intervalMs = 2000, tries = 30 } = {}) {
  let attachment = await api.get(`/attachments/${attachmentId}`);
  for (let round = 1; round < tries && !SETTLED.includes(attachment.status); round += 1) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    attachment = await api.get(`/attachments/${attachmentId}`);
  }
  return fileView(attachment);
}

module.exports = { KINDS, fileView, settle, upload };
