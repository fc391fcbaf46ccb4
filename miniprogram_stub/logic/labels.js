// Words shown for the API's codes. Display only: which action is allowed when is the
// server's `allowed_actions`, never decided here.

const CASE_STATUS = {
  draft: '草稿(未提交)',
  submitted: '已提交,待乡镇受理',
  returned: '退回补正',
  withdrawn: '已撤回',
  accepted: '乡镇已受理',
  investigated: '已入户调查',
  publicizing: '公示中',
  pending_confirmation: '待县民政局审批',
  approved: '已批准',
  rejected: '未批准',
  under_rereview: '复核中',
  exiting: '渐退中',
  suspended: '暂停发放',
  terminated: '已终止',
};

const PROGRAM = { dibao: '低保申请', elderly_allowance: '高龄津贴申请' };

const ACTION = {
  create: '保存申请',
  submit: '提交申请',
  resubmit: '补正后重新提交',
  withdraw: '撤回申请',
  accept: '乡镇受理',
  return: '退回补正',
  record_investigation: '入户调查',
  record_county_investigation: '县级入户核查',
  township_approve: '乡镇审核通过',
  propose_rejection: '乡镇建议不予批准',
  register_objection: '公示收到异议',
  end_publicity: '公示期满',
  county_approve: '县民政局批准',
  county_reject: '县民政局不予批准',
  extend_deadline: '延长审批期限',
  start_rereview: '开始复核',
  adjust: '调整待遇',
  suspend: '暂停发放',
  terminate: '终止',
  end_gradual_exit: '渐退结束',
};

const ROLE = {
  citizen: '申请人',
  agent: '村级代办员',
  township_staff: '乡镇民政办',
  county_staff: '县民政局',
  registrar: '婚姻登记员',
  disaster_officer: '灾害信息员',
  admin: '管理员',
  system: '系统',
};

const MATERIAL_KIND = {
  id_card: '身份证',
  hukou: '户口簿',
  income_proof: '收入证明',
  authorization: '授权核对书',
  mandate: '委托书',
  disability_cert: '残疾证',
  photo: '现场照片',
  other: '其他材料',
};

const MATERIAL_STATUS = {
  pending: '等待检查',
  processing: '正在检查',
  ready: '已收到',
  rejected: '无法使用,请重新上传',
};

const REVIEW_STATUS = {
  unreviewed: '待工作人员审核',
  accepted: '审核通过',
  needs_reupload: '需重新上传',
};

const APPOINTMENT_STATUS = {
  booked: '已预约',
  checked_in: '已签到',
  completed: '已办结',
  cancelled: '已取消',
  no_show: '未到场',
};

const SERVICE = {
  marriage: '结婚登记',
  divorce: '离婚登记申请',
  divorce_certificate: '领取离婚证',
  reissue: '补领婚姻登记证',
};

const PERIOD = { am: '上午', pm: '下午' };

const RELATION = {
  self: '本人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandparent: '祖父母/外祖父母',
  grandchild: '孙子女/外孙子女',
  sibling: '兄弟姐妹',
  other: '其他',
};

// 自然灾害情况统计 indicators, with their units.
const INDICATORS = [
  { key: 'affected_population', label: '受灾人口', unit: '人' },
  { key: 'deaths', label: '死亡人口', unit: '人' },
  { key: 'missing', label: '失踪人口', unit: '人' },
  { key: 'relocated', label: '紧急转移安置人口', unit: '人' },
  { key: 'need_emergency_aid', label: '需紧急生活救助人口', unit: '人' },
  { key: 'collapsed_households', label: '倒塌房屋户数', unit: '户' },
  { key: 'collapsed_rooms', label: '倒塌房屋间数', unit: '间' },
  { key: 'severely_damaged_rooms', label: '严重损坏房屋', unit: '间' },
  { key: 'generally_damaged_rooms', label: '一般损坏房屋', unit: '间' },
  { key: 'crop_affected_ha', label: '农作物受灾面积', unit: '公顷' },
  { key: 'crop_disaster_ha', label: '农作物成灾面积', unit: '公顷' },
  { key: 'crop_failure_ha', label: '农作物绝收面积', unit: '公顷' },
  { key: 'direct_loss_10k_yuan', label: '直接经济损失', unit: '万元' },
];

const REPORT_KIND = { initial: '初报', update: '续报', final: '核报' };

const TIP_STATUS = { pending: '待核实', verified: '已核实', dismissed: '未采纳' };

function label(table, code) {
  return table[code] || code || '';
}

module.exports = {
  ACTION,
  APPOINTMENT_STATUS,
  CASE_STATUS,
  INDICATORS,
  MATERIAL_KIND,
  MATERIAL_STATUS,
  PERIOD,
  PROGRAM,
  RELATION,
  REPORT_KIND,
  REVIEW_STATUS,
  ROLE,
  SERVICE,
  TIP_STATUS,
  label,
};
