"""The relevance set of the knowledge base's search (issue 13): FAQ articles as the vendor writes
them, in French and English, and the queries readers type with the article each must find — accents
left out, plurals, elisions, prefixes, phrases, several words. ``test_knowledge_relevance.py`` runs
it on both engines (hit@10, MRR)."""
from __future__ import annotations

# id: (brand, domain, {language: (title, keywords, body)})
ARTICLES = {
    "tva-ca3": ("Etafi", "Tax", {
        "fr": ("Déclarer la TVA mensuelle (CA3)", "tva ca3 déclaration",
               "La déclaration de TVA CA3 se prépare depuis le menu Fiscal. Vérifiez les montants de TVA collectée et déductible, puis télétransmettez la déclaration avant l'échéance."),
        "en": ("Filing the monthly VAT return (CA3)", "vat ca3 return",
               "The CA3 VAT return is prepared from the Tax menu. Check the collected and deductible VAT amounts, then e-file the return before the due date.")}),
    "liasse": ("Etafi", "Tax", {
        "fr": ("Transmettre la liasse fiscale", "liasse fiscale EDI",
               "La liasse fiscale est transmise par EDI au service des impôts. Contrôlez les annexes et les formulaires 2050 à 2059 avant l'envoi."),
        "en": ("Sending the tax return package", "tax package EDI",
               "The corporate tax package is sent by EDI to the tax office. Check the schedules and forms 2050 to 2059 before sending it.")}),
    "ecriture": ("Compta", "Accounting", {
        "fr": ("Saisir une écriture comptable", "saisie journal",
               "Pour saisir une écriture, ouvrez le journal, choisissez la date et le compte, puis équilibrez le débit et le crédit."),
        "en": ("Entering a journal entry", "entry journal posting",
               "To post an entry, open the journal, choose the date and the account, then balance debit and credit.")}),
    "lettrage": ("Compta", "Accounting", {
        "fr": ("Lettrer les comptes clients", "lettrage rapprochement",
               "Le lettrage associe les factures et les règlements d'un compte client. Le lettrage automatique rapproche les montants égaux."),
        "en": ("Matching customer accounts", "matching reconciliation",
               "Matching links the invoices and the payments of a customer account. Automatic matching pairs equal amounts.")}),
    "rapprochement": ("Compta", "Treasury", {
        "fr": ("Rapprochement bancaire", "banque relevé",
               "Importez le relevé bancaire puis pointez chaque opération avec l'écriture correspondante. L'écart restant apparaît en bas de l'écran."),
        "en": ("Bank reconciliation", "bank statement",
               "Import the bank statement, then tick each transaction against its entry. The remaining difference shows at the bottom of the screen.")}),
    "immobilisations": ("Compta", "Accounting", {
        "fr": ("Gérer les immobilisations", "amortissement dotation",
               "Chaque immobilisation a son plan d'amortissement, linéaire ou dégressif. Les dotations sont calculées à la clôture de l'exercice."),
        "en": ("Managing fixed assets", "depreciation allowance",
               "Each fixed asset has its depreciation schedule, straight-line or declining. Allowances are computed at the year-end closing.")}),
    "cloture": ("Compta", "Accounting", {
        "fr": ("Clôturer l'exercice", "clôture report à nouveau",
               "La clôture de l'exercice verrouille les écritures et génère les reports à nouveau. Faites une sauvegarde avant de clôturer."),
        "en": ("Closing the fiscal year", "closing carry forward",
               "Closing the fiscal year locks the entries and creates the opening balances. Make a backup before closing.")}),
    "bulletin": ("Paie+", "Payroll", {
        "fr": ("Éditer les bulletins de paie", "bulletin salaire",
               "Les bulletins de paie sont édités à la fin du mois, après le calcul des cotisations. Vous pouvez les envoyer aux salariés par e-mail."),
        "en": ("Printing payslips", "payslip salary",
               "Payslips are printed at the end of the month, after the contributions are computed. You may e-mail them to the employees.")}),
    "dsn": ("Paie+", "Payroll", {
        "fr": ("Déposer la DSN mensuelle", "dsn déclaration sociale nominative",
               "La déclaration sociale nominative (DSN) est déposée chaque mois sur net-entreprises. Contrôlez le fichier avec l'outil de contrôle avant le dépôt."),
        "en": ("Filing the monthly DSN", "dsn social declaration",
               "The nominative social declaration (DSN) is filed every month on net-entreprises. Check the file with the control tool before filing it.")}),
    "conges": ("Paie+", "Payroll", {
        "fr": ("Suivre les congés payés", "congés absences acquis",
               "Les congés payés acquis et pris apparaissent sur le bulletin. Une absence se saisit dans le planning du salarié."),
        "en": ("Tracking paid leave", "leave absences accrued",
               "Accrued and taken paid leave appear on the payslip. An absence is entered in the employee's schedule.")}),
    "heures-sup": ("Paie+", "Payroll", {
        "fr": ("Payer les heures supplémentaires", "heures majoration",
               "Les heures supplémentaires sont majorées de 25 % puis de 50 %. Saisissez-les dans les variables du mois."),
        "en": ("Paying overtime", "overtime premium",
               "Overtime hours are paid at a 25 % then 50 % premium. Enter them in the month's variables.")}),
    "mise-a-jour": ("Etafi", "Installation", {
        "fr": ("Installer une mise à jour", "mise à jour version installation",
               "Téléchargez la mise à jour depuis l'espace Téléchargements, fermez le logiciel sur chaque poste, puis lancez l'installation sur le serveur."),
        "en": ("Installing an update", "update version installation",
               "Download the update from the Downloads space, close the software on every workstation, then run the installation on the server.")}),
    "sauvegarde": ("Etafi", "Installation", {
        "fr": ("Sauvegarder et restaurer un dossier", "sauvegarde restauration",
               "La sauvegarde copie le dossier dans une archive. La restauration remplace le dossier courant par celui de l'archive."),
        "en": ("Backing up and restoring a folder", "backup restore",
               "A backup copies the company folder into an archive. Restoring replaces the current folder with the archived one.")}),
    "licence": ("Etafi", "Installation", {
        "fr": ("Activer la licence", "licence numéro de série clé",
               "Saisissez le numéro de série et la clé d'activation reçus par courrier. La licence s'active pour le nombre de postes acheté."),
        "en": ("Activating the licence", "licence serial number key",
               "Enter the serial number and the activation key you received. The licence is activated for the number of seats bought.")}),
    "utilisateurs": ("Compta", "Administration", {
        "fr": ("Créer des utilisateurs et leurs droits", "droits profils",
               "Chaque utilisateur reçoit un profil qui fixe ses droits : consultation, saisie ou administration du dossier."),
        "en": ("Creating users and their rights", "rights profiles",
               "Each user gets a profile that sets their rights: read only, entry or administration of the folder.")}),
    "relances": ("Compta", "Treasury", {
        "fr": ("Relancer les factures impayées", "relance impayés recouvrement",
               "Les relances des factures échues sont envoyées par lettre ou par e-mail, avec trois niveaux de relance."),
        "en": ("Chasing unpaid invoices", "dunning overdue collection",
               "Reminders of overdue invoices go by letter or e-mail, with three dunning levels.")}),
    "prelevement": ("Compta", "Treasury", {
        "fr": ("Émettre des prélèvements SEPA", "prélèvement sepa mandat",
               "Le fichier de prélèvement SEPA reprend les mandats signés par vos clients. Remettez-le à la banque avant la date d'échéance."),
        "en": ("Issuing SEPA direct debits", "direct debit sepa mandate",
               "The SEPA direct debit file lists the mandates your customers signed. Hand it to the bank before the due date.")}),
    "analytique": ("Compta", "Accounting", {
        "fr": ("Ventiler en comptabilité analytique", "analytique axe section",
               "La ventilation analytique répartit une écriture entre plusieurs sections d'un axe, par pourcentage ou par montant."),
        "en": ("Cost accounting allocation", "analytic axis section",
               "Analytic allocation splits an entry between several sections of an axis, by percentage or by amount.")}),
    "budget": ("Compta", "Treasury", {
        "fr": ("Préparer le budget de trésorerie", "budget prévision trésorerie",
               "Le budget de trésorerie projette les encaissements et les décaissements des douze prochains mois."),
        "en": ("Preparing the cash budget", "budget forecast cash",
               "The cash budget projects receipts and disbursements over the next twelve months.")}),
    "devises": ("Compta", "Accounting", {
        "fr": ("Comptabiliser en devises", "devise taux de change écart",
               "Une facture en devise est convertie au taux du jour ; l'écart de change est constaté au règlement."),
        "en": ("Foreign currency entries", "currency exchange rate difference",
               "An invoice in a foreign currency is converted at the day's rate; the exchange difference is booked at payment.")}),
    "import-fec": ("Etafi", "Tax", {
        "fr": ("Importer le fichier des écritures comptables (FEC)", "fec import contrôle fiscal",
               "Le FEC regroupe toutes les écritures de l'exercice. Importez-le pour préparer la liasse ou pour un contrôle fiscal."),
        "en": ("Importing the accounting entries file (FEC)", "fec import tax audit",
               "The FEC holds every entry of the fiscal year. Import it to prepare the tax package or for a tax audit.")}),
    "kilometriques": ("Paie+", "Payroll", {
        "fr": ("Rembourser les indemnités kilométriques", "barème kilométrique frais",
               "Les indemnités kilométriques suivent le barème fiscal selon la puissance du véhicule et la distance parcourue."),
        "en": ("Reimbursing mileage allowances", "mileage scale expenses",
               "Mileage allowances follow the tax scale by the car's power and the distance driven.")}),
    "inventaire": ("Compta", "Stock", {
        "fr": ("Valoriser le stock à l'inventaire", "stock inventaire valorisation",
               "L'inventaire de fin d'exercice valorise le stock au coût moyen pondéré ou au premier entré premier sorti."),
        "en": ("Valuing stock at the inventory", "stock inventory valuation",
               "The year-end inventory values stock at weighted average cost or first in, first out.")}),
    "impression": ("Etafi", "Installation", {
        "fr": ("Paramétrer l'imprimante", "impression imprimante pdf",
               "Choisissez l'imprimante par défaut dans les options ; l'aperçu avant impression permet de créer un PDF."),
        "en": ("Setting up the printer", "printing printer pdf",
               "Choose the default printer in the options; the print preview can create a PDF.")}),
    "avoir": ("Compta", "Accounting", {
        "fr": ("Établir un avoir", "avoir annulation facture",
               "Un avoir annule tout ou partie d'une facture. Il se lettre ensuite avec la facture d'origine."),
        "en": ("Issuing a credit note", "credit note cancel invoice",
               "A credit note cancels all or part of an invoice. It is then matched with the original invoice.")}),
    "acomptes": ("Paie+", "Payroll", {
        "fr": ("Verser un acompte sur salaire", "acompte avance salaire",
               "Un acompte versé en cours de mois est déduit du net à payer du bulletin suivant."),
        "en": ("Paying a salary advance", "advance salary",
               "An advance paid during the month is deducted from the net pay of the next payslip.")}),
    "cotisations": ("Paie+", "Payroll", {
        "fr": ("Mettre à jour les taux de cotisations", "taux plafond sécurité sociale",
               "Les taux de cotisations et le plafond de la sécurité sociale changent au 1er janvier : installez la version de l'année."),
        "en": ("Updating contribution rates", "rates social security ceiling",
               "Contribution rates and the social security ceiling change on 1 January: install the year's version.")}),
    "export-excel": ("Compta", "Accounting", {
        "fr": ("Exporter la balance vers Excel", "export balance tableur",
               "La balance générale s'exporte au format Excel ou CSV depuis le menu des éditions."),
        "en": ("Exporting the trial balance to Excel", "export balance spreadsheet",
               "The general trial balance exports to Excel or CSV from the reports menu.")}),
    "mot-de-passe": ("Etafi", "Administration", {
        "fr": ("Réinitialiser le mot de passe d'un utilisateur", "mot de passe oubli",
               "L'administrateur du dossier réinitialise le mot de passe ; l'utilisateur en choisit un nouveau à la connexion."),
        "en": ("Resetting a user's password", "password forgotten",
               "The folder's administrator resets the password; the user chooses a new one when signing in.")}),
    "reseau": ("Etafi", "Installation", {
        "fr": ("Installer en réseau", "réseau serveur partage",
               "En réseau, les dossiers sont sur le serveur et chaque poste accède au partage avec ses droits."),
        "en": ("Installing on a network", "network server share",
               "On a network, the folders sit on the server and each workstation reaches the share with its rights.")}),
}

# (query, reader's language, the article it must find)
QUERIES = [
    ("tva", "fr", "tva-ca3"), ("declaration tva", "fr", "tva-ca3"), ("déclarations mensuelles", "fr", "tva-ca3"),
    ("VAT return", "en", "tva-ca3"), ("ca3", "en", "tva-ca3"),
    ("liasse", "fr", "liasse"), ("liasses fiscales", "fr", "liasse"), ("tax package", "en", "liasse"),
    ("ecriture comptable", "fr", "ecriture"), ("saisir écritures", "fr", "ecriture"), ("journal entries", "en", "ecriture"),
    ("lettrage", "fr", "lettrage"), ("lettrer", "fr", "lettrage"), ("matching customer", "en", "lettrage"),
    ("rapprochement bancaire", "fr", "rapprochement"), ("releve bancaire", "fr", "rapprochement"),
    ("bank reconciliation", "en", "rapprochement"),
    ("l'immobilisation", "fr", "immobilisations"), ("amortissements", "fr", "immobilisations"),
    ("fixed assets", "en", "immobilisations"), ("depreciation", "en", "immobilisations"),
    ("cloture exercice", "fr", "cloture"), ("clôturer l'exercice", "fr", "cloture"), ("closing the fiscal year", "en", "cloture"),
    ("bulletins de paie", "fr", "bulletin"), ("bulletin", "fr", "bulletin"), ("payslips", "en", "bulletin"),
    ("dsn", "fr", "dsn"), ("declaration sociale nominative", "fr", "dsn"), ("social declaration", "en", "dsn"),
    ("conges payes", "fr", "conges"), ("paid leave", "en", "conges"),
    ("heures supplementaires", "fr", "heures-sup"), ("overtime", "en", "heures-sup"),
    ('"mise à jour"', "fr", "mise-a-jour"), ("installer mise a jour", "fr", "mise-a-jour"), ("update install*", "en", "mise-a-jour"),
    ("sauvegarde", "fr", "sauvegarde"), ("restaurer dossier", "fr", "sauvegarde"), ("backup", "en", "sauvegarde"),
    ("licence activation", "fr", "licence"), ("numero de serie", "fr", "licence"), ("serial number", "en", "licence"),
    ("droits utilisateurs", "fr", "utilisateurs"), ("user rights", "en", "utilisateurs"),
    ("relances impayés", "fr", "relances"), ("factures impayees", "fr", "relances"), ("dunning", "en", "relances"),
    ("prélèvements sepa", "fr", "prelevement"), ("direct debit", "en", "prelevement"),
    ("analytique", "fr", "analytique"), ("ventilation analytique", "fr", "analytique"),
    ("budget trésorerie", "fr", "budget"), ("cash budget", "en", "budget"),
    ("taux de change", "fr", "devises"), ("foreign currency", "en", "devises"),
    ("fec", "fr", "import-fec"), ("contrôle fiscal", "fr", "import-fec"),
    ("indemnites kilometriques", "fr", "kilometriques"), ("bareme kilometrique", "fr", "kilometriques"),
    ("mileage", "en", "kilometriques"),
    ("valorisation stock", "fr", "inventaire"), ("stock valuation", "en", "inventaire"),
    ("imprimante", "fr", "impression"), ("printer", "en", "impression"),
    ("avoir facture", "fr", "avoir"), ("credit notes", "en", "avoir"),
    ("acompte salaire", "fr", "acomptes"), ("salary advance", "en", "acomptes"),
    ("taux cotisations", "fr", "cotisations"), ("plafond securite sociale", "fr", "cotisations"),
    ("export excel", "fr", "export-excel"), ("trial balance", "en", "export-excel"),
    ("mot de passe", "fr", "mot-de-passe"), ("password reset*", "en", "mot-de-passe"),
    ("installation réseau", "fr", "reseau"), ("network", "en", "reseau"),
]
