// 低保自测: the household's incomes against the standard in force, computed by the server
// (public, no sign-in). The answer is an estimate, never a decision.

const { fieldErrors } = require('../utils/api');

const AREA_TYPES = [
  { value: 'rural', label: '农村' },
  { value: 'urban', label: '城市' },
];

function emptyForm() {
  return { area_type: 'rural', incomes: ['0'] };
}

function estimateBody(form) {
  return {
    area_type: form.area_type,
    members: form.incomes.map((income) => ({ monthly_income: String(income || '0').trim() })),
  };
}

// The answer as the page shows it; field errors keyed `members.0.monthly_income`.
async function check(api, form) {
  try {
    const answer = await api.act('/dibao/estimate', estimateBody(form));
    const verdict = answer.eligible
      ? `家庭人均月收入 ${answer.per_capita_income} 元,低于当地标准 ${answer.standard_monthly} 元,可能符合条件,预计每月补差 ${answer.monthly_amount} 元。`
      : `家庭人均月收入 ${answer.per_capita_income} 元,不低于当地标准 ${answer.standard_monthly} 元,按收入暂不符合条件。`;
    return {
      result: { ...answer, verdict, note: '自测结果仅供参考,以入户调查和审批结果为准。' },
      errors: {},
    };
  } catch (error) {
    return { result: null, errors: fieldErrors(error), message: error.message };
  }
}

module.exports = { AREA_TYPES, check, emptyForm, estimateBody };
