// Chinese words for the API's codes (display only: what a status allows comes from the API).
window.portalLabels = {
  program: { dibao: '低保', elderly_allowance: '高龄津贴' },
  status: {
    draft: '草稿', submitted: '已提交', returned: '已退回,待补正', accepted: '已受理',
    investigated: '已入户调查', publicizing: '公示中', pending_confirmation: '待县级确认',
    approved: '已批准', rejected: '未获批准', withdrawn: '已撤回', under_rereview: '复核中',
    exiting: '渐退中', terminated: '已终止',
    booked: '已预约', checked_in: '已签到', completed: '已办结', cancelled: '已取消', no_show: '未到场',
  },
  action: {
    submit: '提交申请', resubmit: '补正后重新提交', withdraw: '撤回申请', accept: '受理',
    return: '退回补正', record_investigation: '入户调查', township_approve: '乡镇审核通过',
    propose_rejection: '乡镇建议不予批准', register_objection: '公示异议',
    county_approve: '县级批准', county_reject: '县级不予批准', end_publicity: '公示期满',
    start_rereview: '开始复核', adjust: '调整待遇', suspend: '暂停', terminate: '终止',
    extend_deadline: '延长办理期限', continue: '继续保障', gradual_exit: '渐退',
    end_gradual_exit: '渐退结束', record_county_investigation: '县级调查', create: '创建申请',
  },
  service: {
    marriage: '结婚登记', divorce: '离婚登记申请', divorce_certificate: '领取离婚证',
    reissue: '补领婚姻登记证',
  },
  period: { am: '上午', pm: '下午' },
  role: {
    citizen: '申请人', agent: '代办员', township_staff: '乡镇', county_staff: '县民政局',
    registrar: '登记员', admin: '管理员', system: '系统',
  },
  word(group, code) {
    return (this[group] && this[group][code]) || code;
  },
};
